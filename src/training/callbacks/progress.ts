import type { Callback, FitParams, Logs } from './callback.js';
import { formatBar, formatEta, formatLogs, formatPerStep } from './format.js';

export interface ProgressOptions {
  /** Where lines go; default process.stdout. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** 1 (bar) or 2 (a line per epoch); default: fit's `verbose`. */
  verbose?: 1 | 2;
}

/** Seconds between progress lines when the output is not a terminal (CI logs stay short). */
const PIPE_INTERVAL = 10;

/**
 * Keras's progress logger. verbose 1: `Epoch 3/30`, then a live bar that is redrawn in place on
 * a terminal (a line every few seconds otherwise), ending with the epoch's time, loss, metrics
 * and validation values; verbose 2: one line per epoch. Displayed training values are running
 * means over the epoch, weighted by batch size.
 */
export class ProgressLogger implements Callback {
  params?: FitParams;
  private readonly stream: NodeJS.WritableStream & { isTTY?: boolean };
  private epochStart = 0;
  private lastDraw = 0;
  private seen = 0;
  private sums: Record<string, number> = {};

  private readonly ownVerbose: 1 | 2 | undefined;

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
    if (p.steps === null && p.samples !== null) {
      this.stream.write(`Train on ${p.samples} samples${p.validationSamples ? `, validate on ${p.validationSamples} samples` : ''}\n`);
    }
  }

  onEpochBegin(epoch: number): void {
    this.epochStart = performance.now();
    this.lastDraw = 0;
    this.seen = 0;
    this.sums = {};
    if (this.verbose === 1) this.stream.write(`Epoch ${epoch + 1}/${this.params!.epochs}\n`);
  }

  onBatchEnd(_batch: number, logs: Logs): void {
    const size = logs.size ?? 1;
    this.seen += this.params!.steps === null ? size : 1;
    for (const [k, v] of Object.entries(logs)) if (k !== 'batch' && k !== 'size') this.sums[k] = (this.sums[k] ?? 0) + v * size;
    this.sums.__weight = (this.sums.__weight ?? 0) + size;
    if (this.verbose !== 1 || this.seen >= this.target) return;
    const now = performance.now();
    const tty = Boolean(this.stream.isTTY);
    if (now - this.lastDraw < (tty ? 50 : PIPE_INTERVAL * 1000)) return;
    this.lastDraw = now;
    const elapsed = (now - this.epochStart) / 1000;
    const eta = (elapsed / this.seen) * (this.target - this.seen);
    const line = `${formatBar(this.seen, this.target)} - ETA: ${formatEta(eta)}${formatLogs(this.runningMeans())}`;
    this.stream.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
  }

  private runningMeans(): Logs {
    const weight = this.sums.__weight || 1;
    return Object.fromEntries(Object.entries(this.sums).filter(([k]) => k !== '__weight').map(([k, v]) => [k, v / weight]));
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const seconds = (performance.now() - this.epochStart) / 1000;
    const steps = this.params!.steps ?? this.seen;
    const timing = `${seconds.toFixed(0)}s ${formatPerStep(seconds / Math.max(1, steps))}`;
    if (this.verbose === 1) {
      const line = `${formatBar(this.target, this.target)} - ${timing}${formatLogs(logs)}`;
      this.stream.write(this.stream.isTTY ? `\r${line}\x1b[K\n` : `${line}\n`);
    } else if (this.verbose === 2) {
      this.stream.write(`Epoch ${epoch + 1}/${this.params!.epochs}\n - ${timing}${formatLogs(logs)}\n`);
    }
  }
}
