import { Progbar } from '../progbar.js';
import type { Callback, FitParams, Logs } from './callback.js';
import { formatLogs } from './format.js';

export interface ProgressOptions {
  /** Where lines go; default process.stdout. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** 1 (bar) or 2 (a line per epoch); default: fit's `verbose`. */
  verbose?: 1 | 2;
}

/**
 * Keras's progress logger. verbose 1: `Epoch 3/30`, then a bar (live on a terminal, a line every
 * few seconds otherwise) ending with the epoch's time, loss, metrics and validation values;
 * verbose 2: one line per epoch. Displayed training values are the batch logs: the loss's
 * running mean over the epoch's samples and each metric's value so far. Arrays count samples, iterators count steps, as in Keras.
 */
export class ProgressLogger implements Callback {
  params?: FitParams;
  private readonly stream: NodeJS.WritableStream & { isTTY?: boolean };
  private readonly ownVerbose: 1 | 2 | undefined;
  private bar: Progbar | null = null;
  private epochStart = 0;
  private seen = 0;

  constructor(options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stdout;
    this.ownVerbose = options.verbose;
  }

  private get verbose(): number {
    return this.ownVerbose ?? this.params!.verbose;
  }

  private get target(): number {
    return this.params!.steps ?? this.params!.samples ?? 0;
  }

  onTrainBegin(): void {
    const p = this.params!;
    if (this.verbose === 1 && p.steps === null && p.samples !== null) {
      this.stream.write(`Train on ${p.samples} samples${p.validationSamples ? `, validate on ${p.validationSamples} samples` : ''}\n`);
    }
  }

  onEpochBegin(epoch: number): void {
    this.epochStart = performance.now();
    this.seen = 0;
    this.bar = new Progbar(this.target, this.stream, this.verbose !== 1);
    if (this.verbose === 1) this.stream.write(`Epoch ${epoch + 1}/${this.params!.epochs}\n`);
  }

  onBatchEnd(_batch: number, logs: Logs): void {
    this.seen += this.params!.steps === null ? logs.size ?? 1 : 1;
    // The last update waits for onEpochEnd, which knows the validation values.
    if (this.seen < this.target) this.bar!.update(this.seen, logs);
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    if (this.verbose === 1) this.bar!.update(this.target, logs);
    else if (this.verbose === 2) {
      const seconds = (performance.now() - this.epochStart) / 1000;
      this.stream.write(`Epoch ${epoch + 1}/${this.params!.epochs}\n - ${seconds.toFixed(0)}s${formatLogs(logs)}\n`);
    }
  }
}
