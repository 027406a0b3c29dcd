import { record } from '../autograd/tape.js';
import { getBackend } from '../backend/index.js';
import { pooledTensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * An elementwise function and its derivative, both written in TypeScript and run on every
 * backend: the activations too rare in convnets to earn a native kernel (elu, gelu, relu6, …).
 * Backward: dx = dy · f'(x).
 */
export function pointwise(op: string, x: Tensor, f: (v: number) => number, df: (v: number) => number): Tensor {
  const backend = getBackend();
  const xs = x.f32;
  const out = backend.alloc(x.size);
  for (let i = 0; i < out.length; i++) out[i] = f(xs[i]!);
  return record(pooledTensor(out, x.shape), op, [x], (dy) => {
    const dx = backend.alloc(x.size);
    const g = dy.f32;
    for (let i = 0; i < dx.length; i++) dx[i] = g[i]! * df(xs[i]!);
    return [pooledTensor(dx, x.shape)];
  });
}

/** erf with relative error below 1.2e-7 (the Chebyshev fit of Numerical Recipes' erfc). */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - erfc : erfc - 1;
}
