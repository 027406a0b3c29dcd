import { Command } from 'commander';
import { nonNegativeInt, positiveInt } from '../options.js';

/** `deeptype augment-preview <image> --out grid.png`: the lecture's figure of augmented variants. */
export function augmentPreviewCommand(): Command {
  return new Command('augment-preview')
    .description("write a grid of randomly augmented variants of one image, with the lecture's augmentation " +
      '(rotation 40°, shifts 0.2, shear 0.2, zoom 0.2, horizontal flip)')
    .argument('<image>', 'image file')
    .requiredOption('--out <file>', 'image file to write (.png, .jpg or .jpeg)')
    .option('--n <n>', 'number of variants', positiveInt, 4)
    .option('--image-size <px>', 'side each variant is drawn at', positiveInt, 150)
    .option('--seed <n>', 'random seed', nonNegativeInt, 1)
    .action(async (image: string, flags: { out: string; n: number; imageSize: number; seed: number }) => {
      const { augmentPreview } = await import('../actions/augment-preview.js');
      await augmentPreview(image, flags);
    });
}
