import { Command } from 'commander';
import { augmentPreviewCommand } from './commands/augment-preview.js';
import { evaluateCommand } from './commands/evaluate.js';
import { predictCommand } from './commands/predict.js';
import { summaryCommand } from './commands/summary.js';
import { trainCommand } from './commands/train.js';
import { packageVersion } from '../package-root.js';
import { reportError } from './errors.js';

const program = new Command()
  .name('deeptype')
  .description('Convolutional networks for image classification, Keras-style, in TypeScript')
  .version(packageVersion)
  .option('--verbose', 'print the stack trace of an error');

for (const command of [trainCommand(), evaluateCommand(), predictCommand(), summaryCommand(), augmentPreviewCommand()]) {
  // Every subcommand accepts --verbose too, wherever it is typed.
  program.addCommand(command.option('--verbose', 'print the stack trace of an error'));
}
// Errors become exceptions here, so that every failure ends in the same place with exit status 2.
program.exitOverride();
for (const command of program.commands) command.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error, process.argv.includes('--verbose'));
}
