import { argMax } from '../ops/reduce.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTargets } from '../losses/labels.js';

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

export const METRICS: Record<string, MetricFn> = {
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
};
