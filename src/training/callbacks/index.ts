import { CSVLogger, type CsvLoggerOptions } from './csv-logger.js';
import { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
import { LearningRateScheduler, type ScheduleFunction } from './learning-rate-scheduler.js';
import { ModelCheckpoint, type ModelCheckpointOptions } from './model-checkpoint.js';
import { ProgressLogger, type ProgressOptions } from './progress.js';
import { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';
import { TerminateOnNaN } from './terminate-on-nan.js';

export type { Callback, FitParams, Logs } from './callback.js';
export { CSVLogger, EarlyStopping, LearningRateScheduler, ModelCheckpoint, ProgressLogger, ReduceLROnPlateau, TerminateOnNaN };

/** Callback factories with Keras's names. */
export const callbacks = {
  earlyStopping: (options?: EarlyStoppingOptions): EarlyStopping => new EarlyStopping(options),
  modelCheckpoint: (options: ModelCheckpointOptions): ModelCheckpoint => new ModelCheckpoint(options),
  terminateOnNaN: (): TerminateOnNaN => new TerminateOnNaN(),
  progressLogger: (options?: ProgressOptions): ProgressLogger => new ProgressLogger(options),
  reduceLROnPlateau: (options?: ReduceLROnPlateauOptions): ReduceLROnPlateau => new ReduceLROnPlateau(options),
  csvLogger: (filename: string, options?: CsvLoggerOptions): CSVLogger => new CSVLogger(filename, options),
  learningRateScheduler: (schedule: ScheduleFunction, verbose?: 0 | 1): LearningRateScheduler => new LearningRateScheduler(schedule, verbose),
};
