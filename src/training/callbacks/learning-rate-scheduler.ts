import type { Model } from '../../models/model.js';
import { pythonFloat } from '../../tensor/print.js';
import type { Callback, Logs } from './callback.js';
import { currentRate, setRate } from './learning-rate.js';

/** (epoch from 0, the current rate) → the rate for this epoch. */
export type ScheduleFunction = (epoch: number, learningRate: number) => number;

/**
 * Keras's LearningRateScheduler: at the start of each epoch the rate becomes
 * `schedule(epoch, rate)`; the epoch's logs get `learning_rate`. A schedule that returns NaN, a
 * negative rate or no number stops training with an error naming the epoch.
 */
export class LearningRateScheduler implements Callback {
  model?: Model;

  constructor(readonly schedule: ScheduleFunction, private readonly verbose: 0 | 1 = 0) {
    if (typeof schedule !== 'function') throw new Error(`learningRateScheduler: schedule must be a function (epoch, learningRate) => learningRate`);
  }

  onEpochBegin(epoch: number): void {
    const where = `learningRateScheduler at epoch ${epoch + 1}`;
    const rate = this.schedule(epoch, currentRate(this.model, where));
    if (typeof rate !== 'number' || !(rate >= 0) || !Number.isFinite(rate)) {
      throw new Error(`${where}: the schedule returned ${typeof rate === 'number' ? rate : JSON.stringify(rate)}; expected a finite learning rate >= 0`);
    }
    setRate(this.model!, rate, where);
    if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${pythonFloat(rate)}.`);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    logs.learning_rate = currentRate(this.model, 'learningRateScheduler');
  }
}
