import { argMax } from '../ops/reduce.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTargets } from '../losses/labels.js';
import { AUC, type AucArgs } from './auc.js';
import { MeanMetricWrapper, type Metric } from './metric.js';
import { Precision, Recall, type ThresholdMetricArgs } from './precision-recall.js';

export { AUC, Precision, Recall };
export { Metric } from './metric.js';

/** A metric maps (yTrue, yPred) to its mean over the batch, as a plain number (no gradient). */
export type MetricFn = (yTrue: Tensor, yPred: Tensor) => number;

/** Fraction of samples with (p > 0.5) equal to the label, over every output element. */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor): number {
  const y = asTargets(yTrue, yPred, 'binaryAccuracy');
  let correct = 0;
  for (let i = 0; i < yPred.size; i++) if ((yPred.data[i]! > 0.5 ? 1 : 0) === y.data[i]) correct++;
  return correct / yPred.size;
}

/** Fraction of rows whose predicted argmax is the one-hot target's argmax. */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): number {
  const predicted = argMax(yPred);
  const actual = argMax(asTargets(yTrue, yPred, 'categoricalAccuracy'));
  return predicted.reduce((n, p, i) => n + (p === actual[i] ? 1 : 0), 0) / predicted.length;
}

/** Fraction of rows whose predicted argmax equals the integer label. */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): number {
  const predicted = argMax(yPred);
  return predicted.reduce((n, p, i) => n + (p === yTrue.data[i] ? 1 : 0), 0) / predicted.length;
}

/**
 * Metrics by Keras's names (camelCase or snake_case), a fresh object for each compile; per-batch
 * functions become running means over the samples.
 */
export const METRICS: Record<string, () => Metric> = {
  binaryAccuracy: () => new MeanMetricWrapper(binaryAccuracy, 'binary_accuracy'),
  categoricalAccuracy: () => new MeanMetricWrapper(categoricalAccuracy, 'categorical_accuracy'),
  sparseCategoricalAccuracy: () => new MeanMetricWrapper(sparseCategoricalAccuracy, 'sparse_categorical_accuracy'),
  auc: () => new AUC(),
  precision: () => new Precision(),
  recall: () => new Recall(),
};

/** `metrics.auc({ curve: 'PR' })` for compile's metrics list; 200 thresholds by default, as in Keras. */
export const auc = (args?: AucArgs): AUC => new AUC(args);
/** `metrics.precision({ thresholds: 0.7 })`. */
export const precision = (args?: ThresholdMetricArgs): Precision => new Precision(args);
/** `metrics.recall({ thresholds: 0.3 })`. */
export const recall = (args?: ThresholdMetricArgs): Recall => new Recall(args);
