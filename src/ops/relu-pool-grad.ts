/**
 * Max pooling straight after a ReLU convolution (every convnet block) lets the backward pass
 * skip two passes over the conv's full-size output. ReLU and max commute, and the window's
 * winning cell is positive exactly when the pooled value is, so relu'(x) at that cell equals
 * relu'(pooled): the mask and the bias gradient's sums can be taken on the pooled gradient, a
 * quarter of the size, before it is routed back. The conv's backward then receives a gradient
 * that is already masked, and knows it by the fact attached here.
 */
import type { Tensor } from '../tensor/tensor.js';

const reluOutputs = new WeakSet<Tensor>();
const preMasked = new WeakMap<Tensor, { of: Tensor; pooled: Tensor }>();

/** Called by an op whose output is ReLU(something) it differentiates itself. */
export function markReluOutput(y: Tensor): void {
  reluOutputs.add(y);
}

export function isReluOutput(x: Tensor): boolean {
  return reluOutputs.has(x);
}

/** `grad` (of `x`) is already multiplied by relu'(x); `pooled` holds the same values before routing. */
export function attachPreMasked(grad: Tensor, x: Tensor, pooled: Tensor): Tensor {
  preMasked.set(grad, { of: x, pooled });
  return grad;
}

/**
 * The pooled, masked gradient when `grad` reached `y`'s producer unchanged from a pool that
 * masked it (a gradient summed from several users carries no fact and returns undefined).
 */
export function preMaskedPooled(grad: Tensor, y: Tensor): Tensor | undefined {
  const fact = preMasked.get(grad);
  return fact?.of === y ? fact.pooled : undefined;
}
