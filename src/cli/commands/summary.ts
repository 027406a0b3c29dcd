import { Command } from 'commander';

/** `deeptype summary <model.h5>`: the Keras summary table of a saved model. */
export function summaryCommand(): Command {
  return new Command('summary')
    .description('print the layer table of a saved model (Keras summary)')
    .argument('<model>', 'model file (.h5)')
    .action(async (file: string) => {
      const { loadModelFile } = await import('../saved-model.js');
      (await loadModelFile(file, false)).summary();
    });
}
