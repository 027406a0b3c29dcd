import { Command, CommanderError } from 'commander';
import { runDemo } from './demo.js';

const program = new Command()
  .name('deeptype')
  .description('Convolutional networks for image classification, Keras-style, in TypeScript')
  .option('--verbose', 'print stack traces on errors')
  .exitOverride();

program.command('demo')
  .description('print the lecture convnet summary, then train a small convnet on generated images')
  .option('--epochs <n>', 'training epochs', '5')
  .option('--seed <n>', 'random seed', '1')
  .action(async (opts: { epochs: string; seed: string }) => {
    await runDemo({ epochs: Number(opts.epochs), seed: Number(opts.seed) });
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
  const verbose = program.opts<{ verbose?: boolean }>().verbose;
  console.error(`deeptype: ${verbose && error instanceof Error ? error.stack : (error as Error).message ?? error}`);
  process.exit(2);
}
