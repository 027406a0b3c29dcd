import { Command } from 'commander';
import { nonNegativeInt, positiveInt } from '../options.js';

/** `deeptype explain <model.h5> <image|dir>...`: what the convnet sees in each image, as pictures and a page. */
export function explainCommand(): Command {
  return new Command('explain')
    .description('look inside a saved convnet: for each image, its intermediate activations (activations.png), a Grad-CAM ' +
      'heatmap of the predicted class (heatmap.png) and the heatmap over the photo (overlay.png), with explain.html; ' +
      'with --layer, also the patterns its filters respond to (filters.png)')
    .argument('<model>', 'model file (.h5)')
    .argument('<images...>', 'image files or folders (searched recursively)')
    .requiredOption('--out <dir>', 'folder to write the pictures and explain.html to (one sub-folder per image when several)')
    .option('--layer <name>', 'the convolution for Grad-CAM and filters.png (default: the last one; no filters.png)')
    .option('--class <k>', 'class index to explain (default: the predicted class)', nonNegativeInt)
    .option('--filters <n>', 'how many filters filters.png shows', positiveInt, 16)
    .action(async (file: string, inputs: string[], flags: { out: string; layer?: string; class?: number; filters: number }) => {
      const { explain } = await import('../actions/explain.js');
      await explain(file, inputs, flags);
    });
}
