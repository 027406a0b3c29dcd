import type { Model } from '../../models/model.js';
import { firstNonFiniteWeight } from '../../models/non-finite.js';
import type { Callback, Logs } from './callback.js';

export interface ModelCheckpointOptions {
  /**
   * Where to save; Python-style fields are filled from the epoch (1-based) and its logs:
   * `'weights.{epoch:02d}-{val_loss:.2f}.h5'` → `weights.03-0.41.h5`.
   */
  filepath: string;
  /** Log to watch for saveBestOnly; default 'val_loss'. */
  monitor?: string;
  /** Save only when the monitored value improves on the best so far; default false. */
  saveBestOnly?: boolean;
  /** Save the weights only (`saveWeights`) rather than the whole model; default false. */
  saveWeightsOnly?: boolean;
  /** 'auto' (default: max for accuracy-like names, else min), 'min' or 'max'. */
  mode?: 'auto' | 'min' | 'max';
  /** 1: print a line for each save (or non-save); default 0. */
  verbose?: 0 | 1;
  /** Epochs between checks; default 1. */
  period?: number;
}

/**
 * Keras's ModelCheckpoint: saves the model (or its weights) at the end of epochs, optionally only
 * when the monitored value improves. Each file is written under a temporary name and renamed.
 * On Ctrl-C, fit calls `onInterrupt` after the current step, and the model is saved as it is
 * (with `saveBestOnly`, the best file is left alone); resume with `loadModel` and
 * `fit({ initialEpoch })`.
 * @example
 * model.fit(x, y, { epochs: 30, callbacks: [callbacks.modelCheckpoint({ filepath: 'best.h5', saveBestOnly: true })] });
 */
export class ModelCheckpoint implements Callback {
  model?: Model;
  readonly filepath: string;
  readonly monitor: string;
  private readonly saveBestOnly: boolean;
  private readonly saveWeightsOnly: boolean;
  private readonly maximize: boolean;
  private readonly verbose: number;
  private readonly period: number;
  private best = Infinity;
  private sinceLastSave = 0;

  constructor(options: ModelCheckpointOptions) {
    if (!options || typeof options.filepath !== 'string' || options.filepath === '') {
      throw new Error('modelCheckpoint: filepath is required, e.g. { filepath: "model.{epoch:02d}.h5" }');
    }
    this.filepath = options.filepath;
    this.monitor = options.monitor ?? 'val_loss';
    this.saveBestOnly = options.saveBestOnly ?? false;
    this.saveWeightsOnly = options.saveWeightsOnly ?? false;
    const mode = options.mode ?? 'auto';
    if (!['auto', 'min', 'max'].includes(mode)) throw new Error(`modelCheckpoint: mode must be 'auto', 'min' or 'max', got '${mode}'`);
    this.maximize = mode === 'max' || (mode === 'auto' && /acc|fmeasure/.test(this.monitor));
    this.verbose = options.verbose ?? 0;
    this.period = options.period ?? 1;
    if (!Number.isInteger(this.period) || this.period < 1) throw new Error(`modelCheckpoint: period must be a positive integer, got ${this.period}`);
  }

  onTrainBegin(): void {
    this.best = this.maximize ? -Infinity : Infinity;
    this.sinceLastSave = 0;
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (++this.sinceLastSave < this.period) return;
    this.sinceLastSave = 0;
    const path = formatPath(this.filepath, { epoch: epoch + 1, ...logs }, false);
    const tag = `Epoch ${String(epoch + 1).padStart(5, '0')}`;
    if (!this.saveBestOnly) {
      if (this.verbose) console.log(`\n${tag}: saving model to ${path}`);
      await this.save(path);
      return;
    }
    const current = logs[this.monitor];
    if (current === undefined) {
      console.warn(`modelCheckpoint: can save the best model only with ${this.monitor} available (logs have ${Object.keys(logs).join(', ')}); skipping`);
      return;
    }
    if (this.maximize ? current > this.best : current < this.best) {
      if (this.verbose) console.log(`\n${tag}: ${this.monitor} improved from ${fixed5(this.best)} to ${fixed5(current)}, saving model to ${path}`);
      this.best = current;
      await this.save(path);
    } else if (this.verbose) {
      console.log(`\n${tag}: ${this.monitor} did not improve from ${fixed5(this.best)}`);
    }
  }

  async onInterrupt(epoch: number, logs: Logs): Promise<void> {
    if (this.saveBestOnly) {
      console.log(`\nInterrupted in epoch ${epoch + 1}; the best model so far stays in ${this.filepath}`);
      return;
    }
    const path = formatPath(this.filepath, { epoch: epoch + 1, ...logs }, true);
    console.log(`\nInterrupted in epoch ${epoch + 1}; saving model to ${path} (resume with initialEpoch: ${epoch})`);
    await this.save(path);
  }

  /** Saves unless a weight has gone NaN or infinite: then the file already there is kept, and a warning says so. */
  private async save(path: string): Promise<void> {
    const bad = firstNonFiniteWeight(this.model!);
    if (bad) {
      this.warnNotSaved(path, bad);
      return;
    }
    await (this.saveWeightsOnly ? this.model!.saveWeights(path) : this.model!.save(path));
  }

  /** Says why `path` was not written (an owner with its own wording, the CLI, overrides it). */
  protected warnNotSaved(path: string, weight: string): void {
    console.warn(`modelCheckpoint: not saving to ${path}: weight '${weight}' holds NaN or infinite values (the loss ` +
      'diverged or the input holds NaN); any file already there is kept. callbacks.terminateOnNaN() stops such a run.');
  }
}

/** Python's '%0.5f', which Keras's messages use: 0.41234, inf. */
const fixed5 = (v: number): string => (Number.isFinite(v) ? v.toFixed(5) : v > 0 ? 'inf' : '-inf');

/**
 * Python's `str.format` for the fields a checkpoint path uses: `{name}`, `{name:02d}`,
 * `{name:.2f}`, `{name:.3e}`. A missing value is an error, or 'nan' when `lenient` (after
 * Ctrl-C there are no validation values, and saving matters more than the name).
 */
export function formatPath(template: string, values: Record<string, number>, lenient = false): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g, (_all, key: string, spec: string | undefined) => {
    let value = values[key];
    if (value === undefined) {
      if (!lenient) throw new Error(`modelCheckpoint: filepath '${template}' uses {${key}}, which is not in the logs (${Object.keys(values).join(', ')})`);
      value = NaN;
    }
    return formatNumber(value, spec ?? '', template);
  });
}

function formatNumber(value: number, spec: string, template: string): string {
  const m = /^(0?)(\d*)(?:\.(\d+))?([dfe]?)$/.exec(spec);
  if (!m) throw new Error(`modelCheckpoint: format '{:${spec}}' in '${template}' is not supported; use forms like 02d, .2f or .3e`);
  const [, zero, width, precision, kind] = m;
  let text: string;
  if (Number.isNaN(value)) text = 'nan';
  else if (kind === 'd') text = String(Math.round(value));
  else if (kind === 'f') text = value.toFixed(precision === undefined ? 6 : Number(precision));
  else if (kind === 'e') text = value.toExponential(precision === undefined ? 6 : Number(precision)).replace(/e([+-])(\d)$/, 'e$10$2');
  else text = precision === undefined ? String(value) : value.toPrecision(Number(precision));
  const w = Number(width || 0);
  if (text.length >= w) return text;
  if (!zero) return text.padStart(w, ' ');
  const sign = text.startsWith('-') ? '-' : '';
  return sign + text.slice(sign.length).padStart(w - sign.length, '0');
}
