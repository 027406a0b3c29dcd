import { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
import { ModelCheckpoint, type ModelCheckpointOptions } from './model-checkpoint.js';
import { ProgressLogger, type ProgressOptions } from './progress.js';
import { TerminateOnNaN } from './terminate-on-nan.js';

export type { Callback, FitParams, Logs } from './callback.js';
export { EarlyStopping, ModelCheckpoint, ProgressLogger, TerminateOnNaN };

/** Callback factories with Keras's names. */
export const callbacks = {
  earlyStopping: (options?: EarlyStoppingOptions): EarlyStopping => new EarlyStopping(options),
  modelCheckpoint: (options: ModelCheckpointOptions): ModelCheckpoint => new ModelCheckpoint(options),
  terminateOnNaN: (): TerminateOnNaN => new TerminateOnNaN(),
  progressLogger: (options?: ProgressOptions): ProgressLogger => new ProgressLogger(options),
};
