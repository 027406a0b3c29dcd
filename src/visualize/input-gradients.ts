import { backward } from '../autograd/grad.js';
import { mul } from '../ops/arithmetic.js';
import { sum } from '../ops/reduce.js';
import type { Functional } from '../models/functional.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Runs `model` on `x` while recording and returns its outputs with the gradient of
 * Σ outputs[k] × weights with respect to each of `wrt` (indices into [input, ...outputs]):
 * one backward pass for a class score (Grad-CAM) or a filter's mean (filter ascent).
 */
export function weightedOutputGradients(model: Functional<true>, x: Tensor, k: number, weights: Float32Array,
  wrt: readonly number[]): { outputs: Tensor[]; grads: Tensor[] } {
  const input = new Tensor(x.f32, x.shape);
  input.requiresGrad = true;
  const outputs = model.callOutputs([input], { training: false });
  const target = outputs[k]!;
  const score = sum(mul(target, new Tensor(weights, target.shape)));
  const all = [input, ...outputs];
  return { outputs, grads: backward(score, wrt.map((i) => all[i]!)) };
}
