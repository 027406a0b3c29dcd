import { formatBar, formatEta, formatLogs, formatPerStep } from './callbacks/format.js';

/**
 * A Keras-style progress bar for long loops outside fit (feature extraction, evaluation in the
 * CLI): redrawn in place on a terminal, a line every few seconds otherwise, a final line at the end.
 */
export class Progbar {
  private readonly start = performance.now();
  // The first line waits for the interval too, so short loops print only their final line.
  private lastDraw = performance.now();

  constructor(readonly target: number, private readonly stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout,
    private readonly quiet = false) {}

  update(current: number, values: Record<string, number> = {}): void {
    if (this.quiet) return;
    const now = performance.now();
    const elapsed = (now - this.start) / 1000;
    const tty = Boolean(this.stream.isTTY);
    if (current >= this.target) {
      const line = `${formatBar(this.target, this.target)} - ${elapsed.toFixed(0)}s ${formatPerStep(elapsed / Math.max(1, current))}${formatLogs(values)}`;
      this.stream.write(tty ? `\r${line}\x1b[K\n` : `${line}\n`);
      return;
    }
    if (now - this.lastDraw < (tty ? 50 : 10_000)) return;
    this.lastDraw = now;
    const eta = current > 0 ? (elapsed / current) * (this.target - current) : 0;
    const line = `${formatBar(current, this.target)} - ETA: ${formatEta(eta)}${formatLogs(values)}`;
    this.stream.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
  }
}
