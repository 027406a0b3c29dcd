import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { augmentationPreview } from '../../data/preview.js';
import { InputError } from '../errors.js';
import { generatorFor } from '../image-input.js';
import { nonNegativeInt, positiveInt } from '../options.js';

/** `deeptype augment-preview <image> --out grid.png`: the lecture's figure of augmented variants. */
export function augmentPreviewCommand(): Command {
  return new Command('augment-preview')
    .description("write a PNG grid of randomly augmented variants of one image, with the lecture's augmentation " +
      '(rotation 40°, shifts 0.2, shear 0.2, zoom 0.2, horizontal flip)')
    .argument('<image>', 'image file')
    .requiredOption('--out <file>', 'PNG file to write')
    .option('--n <n>', 'number of variants', positiveInt, 4)
    .option('--image-size <px>', 'side each variant is drawn at', positiveInt, 150)
    .option('--seed <n>', 'random seed', nonNegativeInt, 1)
    .action(async (image: string, flags: { out: string; n: number; imageSize: number; seed: number }) => {
      if (!existsSync(image)) throw new InputError(`image not found: ${image}`);
      await augmentationPreview(image, generatorFor('rescale', true), {
        n: flags.n, file: flags.out, targetSize: [flags.imageSize, flags.imageSize], seed: flags.seed,
      }).catch((error: Error) => {
        throw new InputError(error.message);
      });
      console.log(`Wrote ${flags.n} augmented variants of ${image} to ${flags.out}`);
    });
}
