import { add, div, maximum, minimum, mul, sub } from '../ops/arithmetic.js';
import { mean, sum } from '../ops/reduce.js';
import { abs, exp, log, neg, square } from '../ops/unary.js';
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

/** mean |y_pred − y_true|. */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor): Tensor {
  return mean(abs(sub(yPred, asTargets(yTrue, yPred, 'meanAbsoluteError'))));
}

/** 100 · mean |(y_true − y_pred) / max(|y_true|, 1e-7)|. */
export function meanAbsolutePercentageError(yTrue: Tensor, yPred: Tensor): Tensor {
  const y = asTargets(yTrue, yPred, 'meanAbsolutePercentageError');
  return mul(mean(abs(div(sub(y, yPred), maximum(abs(y), EPSILON)))), 100);
}

/**
 * Keras's Huber loss: ½e² where |e| ≤ delta, else delta·(|e| − ½delta), e = y_pred − y_true,
 * written as ½q² + delta·(|e| − q) with q = min(|e|, delta) so it is one composition of ops.
 */
export function huber(yTrue: Tensor, yPred: Tensor, delta = 1): Tensor {
  const a = abs(sub(yPred, asTargets(yTrue, yPred, 'huber')));
  const q = minimum(a, delta);
  return mean(add(mul(square(q), 0.5), mul(sub(a, q), delta)));
}

/**
 * mean log(cosh(e)), e = y_pred − y_true, as e + softplus(−2e) − ln 2 with the softplus written
 * max(z, 0) + ln(1 + exp(−|z|)) so that a large error does not overflow exp.
 */
export function logCosh(yTrue: Tensor, yPred: Tensor): Tensor {
  const e = sub(yPred, asTargets(yTrue, yPred, 'logCosh'));
  const z = mul(e, -2);
  const softplus = add(maximum(z, 0), log(add(exp(neg(abs(z))), 1)));
  return mean(sub(add(e, softplus), Math.LN2));
}

/** Kullback–Leibler divergence Σ y·ln(y/p) over the last axis, y and p clipped to [1e-7, 1]; mean over the batch. */
export function klDivergence(yTrue: Tensor, yPred: Tensor): Tensor {
  const y = minimum(maximum(asTargets(yTrue, yPred, 'klDivergence'), EPSILON), 1);
  const p = minimum(maximum(yPred, EPSILON), 1);
  return mean(sum(mul(y, log(div(y, p))), -1));
}

/** Losses by Keras's names (camelCase or snake_case) and its short aliases. */
export const LOSSES: Record<string, LossFn> = {
  binaryCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  meanSquaredError,
  mse: meanSquaredError,
  meanAbsoluteError,
  mae: meanAbsoluteError,
  meanAbsolutePercentageError,
  mape: meanAbsolutePercentageError,
  huber: (yTrue, yPred) => huber(yTrue, yPred),
  logCosh,
  klDivergence,
  kld: klDivergence,
  kullbackLeiblerDivergence: klDivergence,
};
