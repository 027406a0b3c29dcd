import type { Model } from '../../models/model.js';
import { pythonFloat } from '../../tensor/print.js';
import type { Callback, Logs } from './callback.js';
import { currentRate, setRate } from './learning-rate.js';

export interface ReduceLROnPlateauOptions {
  /** Log to watch; default 'val_loss'. */
  monitor?: string;
  /** New rate = rate · factor; default 0.1, in (0, 1). */
  factor?: number;
  /** Epochs without improvement before reducing; default 10. */
  patience?: number;
  /** 1 prints a line at each reduction; default 0. */
  verbose?: 0 | 1;
  /** 'auto' (default: max when the name has 'acc', else min), 'min' or 'max'. */
  mode?: 'auto' | 'min' | 'max';
  /** Smallest change that counts as an improvement; default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again; default 0. */
  cooldown?: number;
  /** The rate never goes below this; default 0. */
  minLr?: number;
}

/**
 * Keras's ReduceLROnPlateau: multiply the learning rate by `factor` when the monitored value has
 * not improved for `patience` epochs. Adds `learning_rate` (the rate the epoch ran with) to the
 * epoch's logs, so History and csvLogger record it.
 */
export class ReduceLROnPlateau implements Callback {
  model?: Model;
  readonly monitor: string;
  private readonly factor: number;
  private readonly patience: number;
  private readonly verbose: number;
  private readonly maximize: boolean;
  private readonly minDelta: number;
  private readonly cooldown: number;
  private readonly minLr: number;
  private best = Infinity;
  private wait = 0;
  private cooldownCounter = 0;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    this.monitor = options.monitor ?? 'val_loss';
    this.factor = options.factor ?? 0.1;
    if (!(this.factor < 1) || !(this.factor > 0)) throw new Error(`reduceLROnPlateau: factor must be in (0, 1), got ${this.factor}`);
    this.patience = options.patience ?? 10;
    this.verbose = options.verbose ?? 0;
    const mode = options.mode ?? 'auto';
    if (!['auto', 'min', 'max'].includes(mode)) throw new Error(`reduceLROnPlateau: mode must be 'auto', 'min' or 'max', got '${mode}'`);
    this.maximize = mode === 'max' || (mode === 'auto' && this.monitor.includes('acc'));
    this.minDelta = options.minDelta ?? 1e-4;
    this.cooldown = options.cooldown ?? 0;
    this.minLr = options.minLr ?? 0;
  }

  onTrainBegin(): void {
    this.best = this.maximize ? -Infinity : Infinity;
    this.wait = 0;
    this.cooldownCounter = 0;
  }

  private improved(current: number): boolean {
    return this.maximize ? current > this.best + this.minDelta : current < this.best - this.minDelta;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    logs.learning_rate = currentRate(this.model, 'reduceLROnPlateau');
    const current = logs[this.monitor];
    if (current === undefined) {
      console.warn(`reduceLROnPlateau: '${this.monitor}' is not in the logs (available: ${Object.keys(logs).join(', ')}); the rate is not reduced`);
      return;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    if (this.improved(current)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter === 0 && ++this.wait >= this.patience) {
      const old = logs.learning_rate;
      if (old > Math.fround(this.minLr)) {
        const rate = Math.max(old * this.factor, this.minLr);
        setRate(this.model!, rate, 'reduceLROnPlateau');
        if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${pythonFloat(rate)}.`);
        this.cooldownCounter = this.cooldown;
        this.wait = 0;
      }
    }
  }
}
