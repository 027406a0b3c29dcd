import { existsSync } from 'node:fs';
import { augmentationPreview } from '../../data/preview.js';
import { InputError } from '../errors.js';
import { generatorFor } from '../image-input.js';

/** Writes a grid of augmented variants of one image, drawn with the lecture's augmentation. */
export async function augmentPreview(image: string, flags: { out: string; n: number; imageSize: number; seed: number }): Promise<void> {
  if (!existsSync(image)) throw new InputError(`image not found: ${image}`);
  if (!/\.(png|jpe?g)$/i.test(flags.out)) throw new InputError(`--out ${flags.out}: expected a file name ending in .png, .jpg or .jpeg`);
  await augmentationPreview(image, generatorFor('rescale', true), {
    n: flags.n, file: flags.out, targetSize: [flags.imageSize, flags.imageSize], seed: flags.seed,
  }).catch((error: Error) => {
    throw new InputError(error.message);
  });
  console.log(`Wrote ${flags.n} augmented variants of ${image} to ${flags.out}`);
}
