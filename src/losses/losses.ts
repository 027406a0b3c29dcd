import { add, maximum, minimum, mul, sub } from '../ops/arithmetic.js';
import { mean, sum } from '../ops/reduce.js';
import { log, square } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTargets, checkProbabilities, oneHot } from './labels.js';

/** A loss maps (yTrue, yPred) to the scalar mean loss of the batch. */
export type LossFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** Keras's fuzz factor: probabilities are clipped to [ε, 1 − ε] before taking logs. */
export const EPSILON = 1e-7;

const clip = (p: Tensor): Tensor => minimum(maximum(p, EPSILON), 1 - EPSILON);

/**
 * −[y·ln p + (1 − y)·ln(1 − p)] on probabilities, p clipped to [1e-7, 1 − 1e-7]; mean over the
 * last axis and then the batch, which for equal-length rows is the mean of all elements.
 */
export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor): Tensor {
  const y = asTargets(yTrue, yPred, 'binaryCrossentropy');
  checkProbabilities(y, 'binaryCrossentropy');
  const p = clip(yPred);
  return mul(mean(add(mul(y, log(p)), mul(sub(1, y), log(sub(1, p))))), -1);
}

/** −Σ_classes y·ln p (p clipped), averaged over the batch; y one-hot [batch, classes]. */
export function categoricalCrossentropy(yTrue: Tensor, yPred: Tensor): Tensor {
  const y = asTargets(yTrue, yPred, 'categoricalCrossentropy');
  return mul(mean(sum(mul(y, log(clip(yPred))), -1)), -1);
}

/** Categorical cross-entropy with integer class labels [batch] or [batch, 1]. */
export function sparseCategoricalCrossentropy(yTrue: Tensor, yPred: Tensor): Tensor {
  const classes = yPred.shape[yPred.rank - 1]!;
  return categoricalCrossentropy(oneHot(yTrue, classes, 'sparseCategoricalCrossentropy'), yPred);
}

export function meanSquaredError(yTrue: Tensor, yPred: Tensor): Tensor {
  return mean(square(sub(yPred, asTargets(yTrue, yPred, 'meanSquaredError'))));
}

export const LOSSES: Record<string, LossFn> = {
  binaryCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  meanSquaredError,
  mse: meanSquaredError,
};
