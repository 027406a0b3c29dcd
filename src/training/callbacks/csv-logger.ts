import { existsSync, readFileSync } from 'node:fs';
import { pythonFloat } from '../../tensor/print.js';
import type { Callback, FitParams, Logs } from './callback.js';

export interface CsvLoggerOptions {
  /** Field separator; default ','. */
  separator?: string;
  /** Add to an existing file (its header kept) instead of replacing it; default false. */
  append?: boolean;
}

/**
 * Keras's CSVLogger: one row per epoch, `epoch` then the logs' keys sorted, values as Python
 * prints them, rows ending in CRLF as Python's csv module writes them; a key missing from an
 * epoch (a run stopped early) is `NA`. The file is rewritten whole after each epoch under a
 * temporary name, so it is never seen half written.
 */
export class CSVLogger implements Callback {
  params?: FitParams;
  private readonly separator: string;
  private readonly append: boolean;
  private keys: string[] | null = null;
  private text = '';

  constructor(readonly filename: string, options: CsvLoggerOptions = {}) {
    if (typeof filename !== 'string' || filename === '') throw new Error(`csvLogger: filename must be a file path, got ${JSON.stringify(filename)}`);
    this.separator = options.separator ?? ',';
    this.append = options.append ?? false;
  }

  onTrainBegin(): void {
    this.text = this.append && existsSync(this.filename) ? readFileSync(this.filename, 'utf8') : '';
    this.keys = null;
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (this.keys === null) {
      this.keys = Object.keys(logs).sort();
      if (this.params?.doValidation && !this.keys.some((k) => k.startsWith('val_'))) this.keys.push(...this.keys.map((k) => `val_${k}`));
      if (this.text === '') this.text = this.row(['epoch', ...this.keys]);
    }
    this.text += this.row([String(epoch), ...this.keys.map((k) => (logs[k] === undefined ? 'NA' : pythonFloat(logs[k]!)))]);
    // io sits above training: loaded when first needed, as Model.save loads the HDF5 writer.
    const { writeFileAtomic } = await import('../../io/atomic-write.js');
    await writeFileAtomic(this.filename, Buffer.from(this.text));
  }

  private row(fields: string[]): string {
    // Python's csv quotes a field holding the separator, a quote or a line break.
    const quote = (f: string): string => (/["\r\n]/.test(f) || f.includes(this.separator) ? `"${f.replace(/"/g, '""')}"` : f);
    return `${fields.map(quote).join(this.separator)}\r\n`;
  }
}
