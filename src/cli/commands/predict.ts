import { Command } from 'commander';
import { positiveInt } from '../options.js';

/** `deeptype predict <model.h5> <image|dir>...`: the class and its probability for each image. */
export function predictCommand(): Command {
  return new Command('predict')
    .description('classify images with a saved model: one line per file with the class and its probability ' +
      '(images are prepared as recorded in the run.json beside the model; 1/255 rescaling without one)')
    .argument('<model>', 'model file (.h5)')
    .argument('<images...>', 'image files or folders (searched recursively)')
    .option('--json', 'print a JSON array of { file, class, probability, probabilities }', false)
    .option('--batch-size <n>', 'images per batch', positiveInt, 20)
    .action(async (file: string, inputs: string[], flags: { json: boolean; batchSize: number }) => {
      const { predict } = await import('../actions/predict.js');
      await predict(file, inputs, flags);
    });
}
