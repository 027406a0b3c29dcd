import type { Model } from '../../models/model.js';
import type { Callback, Logs } from './callback.js';

export interface EarlyStoppingOptions {
  /** Log to watch; default 'val_loss'. */
  monitor?: string;
  /** Smallest change that counts as an improvement; default 0. */
  minDelta?: number;
  /** Epochs without improvement before stopping; default 0. */
  patience?: number;
  /** 'auto' (default: max for accuracy-like names, else min), 'min' or 'max'. */
  mode?: 'auto' | 'min' | 'max';
  /** Put back the weights of the best epoch when stopping; default false. */
  restoreBestWeights?: boolean;
  verbose?: 0 | 1;
}

/** Keras's EarlyStopping: stop when the monitored value stops improving. */
export class EarlyStopping implements Callback {
  model?: Model;
  readonly monitor: string;
  private readonly minDelta: number;
  private readonly patience: number;
  private readonly maximize: boolean;
  private readonly restoreBestWeights: boolean;
  private readonly verbose: number;
  private best = Infinity;
  private wait = 0;
  private bestWeights: Float32Array[] | null = null;
  /** The epoch (0-based) at which training stopped, or null. */
  stoppedEpoch: number | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    this.monitor = options.monitor ?? 'val_loss';
    this.minDelta = Math.abs(options.minDelta ?? 0);
    this.patience = options.patience ?? 0;
    const mode = options.mode ?? 'auto';
    if (!['auto', 'min', 'max'].includes(mode)) throw new Error(`earlyStopping: mode must be 'auto', 'min' or 'max', got '${mode}'`);
    this.maximize = mode === 'max' || (mode === 'auto' && /acc|auc|fmeasure/.test(this.monitor));
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    this.verbose = options.verbose ?? 0;
  }

  onTrainBegin(): void {
    this.best = this.maximize ? -Infinity : Infinity;
    this.wait = 0;
    this.stoppedEpoch = null;
    this.bestWeights = null;
  }

  private improved(current: number): boolean {
    return this.maximize ? current - this.minDelta > this.best : current + this.minDelta < this.best;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const current = logs[this.monitor];
    if (current === undefined) {
      console.warn(`earlyStopping: '${this.monitor}' is not in the logs (available: ${Object.keys(logs).join(', ')}); not stopping`);
      return;
    }
    if (this.improved(current)) {
      this.best = current;
      this.wait = 0;
      if (this.restoreBestWeights) this.bestWeights = this.model!.weights.map((w) => w.value.f32.slice());
      return;
    }
    this.wait++;
    if (this.wait >= this.patience) {
      this.stoppedEpoch = epoch;
      this.model!.stopTraining = true;
      if (this.bestWeights) {
        if (this.verbose) console.log('Restoring model weights from the end of the best epoch.');
        this.model!.weights.forEach((w, i) => w.assign(this.bestWeights![i]!));
      }
    }
  }

  onTrainEnd(): void {
    if (this.stoppedEpoch !== null && this.verbose) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
  }
}

