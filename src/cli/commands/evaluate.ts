import { Command } from 'commander';
import { positiveInt } from '../options.js';

/** `deeptype evaluate <model.h5> <dataDir>`: loss, accuracy and confusion matrix on labelled images. */
export function evaluateCommand(): Command {
  return new Command('evaluate')
    .description('score a saved classifier on a folder of class folders (a data folder with test/ is scored on test/): ' +
      'loss, accuracy, the confusion matrix and each class\'s accuracy')
    .argument('<model>', 'model file (.h5)')
    .argument('<dataDir>', 'folder with one subfolder per class, or a data folder with test/')
    .option('--batch-size <n>', 'images per batch', positiveInt, 20)
    .option('--json', 'print the results as JSON', false)
    .action(async (file: string, dataDir: string, flags: { batchSize: number; json: boolean }) => {
      const { evaluate } = await import('../actions/evaluate.js');
      await evaluate(file, dataDir, flags);
    });
}
