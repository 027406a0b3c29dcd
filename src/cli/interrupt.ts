import { EXIT_INTERRUPTED } from './errors.js';

/**
 * Ctrl-C for the CLI. While a model trains, the first Ctrl-C is left to `fit`, which ends the
 * run after the current step so the command can save what it has; a second one, or one at any
 * other time (decoding, feature extraction, evaluation), exits at once. Every file the CLI
 * writes is written under a temporary name and renamed, so an exit never leaves a broken file.
 */
export class InterruptGuard {
  private training = false;
  private stopRequested = false;

  constructor(private readonly describeSaved: () => string = () => '') {
    process.on('SIGINT', this.onSigint);
  }

  /** True once Ctrl-C asked training to stop. */
  get stopped(): boolean {
    return this.stopRequested;
  }

  /** Runs `train` (a `fit` call) with Ctrl-C meaning "stop after this step". */
  async whileTraining<T>(train: () => Promise<T>): Promise<T> {
    this.training = true;
    try {
      return await train();
    } finally {
      this.training = false;
    }
  }

  /** Removes the handler, for a command that has finished. */
  dispose(): void {
    process.removeListener('SIGINT', this.onSigint);
  }

  private readonly onSigint = (): void => {
    if (this.training && !this.stopRequested) {
      this.stopRequested = true;
      console.error('\nCtrl-C: stopping after this step (press Ctrl-C again to quit at once)');
      return;
    }
    const saved = this.describeSaved();
    console.error(`\nInterrupted.${saved ? ` ${saved}` : ''}`);
    process.exit(EXIT_INTERRUPTED);
  };
}
