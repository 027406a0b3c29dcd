import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KERAS3_FIXTURES } from './paths.js';

interface OverBatches {
  /** The metric's value over the whole epoch. */
  epoch: number;
  /** The mean of its per-batch values, which an epoch metric must not report. */
  batch_mean: number;
}

/** The numbers test/fixtures/keras3/training_values.py had Keras 3 compute (training_values.json). */
export interface KerasTrainingValues {
  adamw: { w0: number[]; grads: number[][]; weights: number[][] };
  sgd_piecewise: { boundaries: number[]; values: number[]; weights: number[][] };
  schedules: Record<string, { config: { class_name: string; config: Record<string, unknown> }; rates: number[] }>;
  metrics: {
    binary: { y_true: number[][]; y_pred: number[][]; batch_size: number; configs: Record<string, { config: Record<string, unknown> }> }
      & Record<'auc' | 'auc_pr' | 'precision' | 'recall' | 'binary_accuracy', OverBatches>;
    categorical: { y_true: number[][]; y_pred: number[][]; batch_size: number; categorical_accuracy: OverBatches };
  };
  losses: Record<string, { y_true: number[][]; y_pred: number[][]; value: number; grad: number[][] }>;
}

export const KERAS_VALUES = JSON.parse(readFileSync(join(KERAS3_FIXTURES, 'training_values.json'), 'utf8')) as KerasTrainingValues;
