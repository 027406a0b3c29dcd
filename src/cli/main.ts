import { Command } from 'commander';
import { augmentPreviewCommand } from './commands/augment-preview.js';
import { evaluateCommand } from './commands/evaluate.js';
import { explainCommand } from './commands/explain.js';
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

for (const command of [trainCommand(), evaluateCommand(), predictCommand(), explainCommand(), summaryCommand(), augmentPreviewCommand()]) {
  // Every subcommand accepts --verbose too, wherever it is typed.
  program.addCommand(command.option('--verbose', 'print the stack trace of an error'));
}
// Errors become exceptions here, so that every failure ends in the same place with exit status 2.
program.exitOverride();
for (const command of program.commands) command.exitOverride();

const verbose = process.argv.includes('--verbose');
// A reader that stops early (`deeptype predict … | head -1`) closes the pipe: the command ends
// quietly, as Unix tools do, rather than with Node's "Unhandled 'error' event" stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    process.exit(reportError(error, verbose));
  });
}
// An error outside the command's own promise (a callback, a stream) keeps the one-line contract too.
process.on('uncaughtException', (error) => process.exit(reportError(error, verbose)));
process.on('unhandledRejection', (error) => process.exit(reportError(error, verbose)));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error, verbose);
}
