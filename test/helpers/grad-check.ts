import assert from 'node:assert/strict';
import { valueAndGrads } from '../../src/autograd/grad.js';
import { noGrad } from '../../src/autograd/tape.js';
import { mul } from '../../src/ops/arithmetic.js';
import { sum } from '../../src/ops/reduce.js';
import { Random } from '../../src/tensor/random.js';
import { Tensor } from '../../src/tensor/tensor.js';

/** A float32 tensor of the given shape with seeded values in [lo, hi). */
export function randomTensor(shape: number[], seed: number, lo = -1, hi = 1): Tensor {
  const rng = new Random(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(Float32Array.from({ length: n }, () => rng.uniform(lo, hi)), shape);
}

/**
 * Compares the tape's gradients of Σ w·f(inputs) (w: fixed random weights, so every output
 * element matters differently) with central finite differences, input by input.
 */
export function checkGrad(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[],
  { eps = 1e-2, tolerance = 2e-2, seed = 7 } = {}): void {
  const probe = noGrad(() => f(...inputs));
  const weights = randomTensor([...probe.shape], seed);
  const objective = (): Tensor => sum(mul(f(...inputs), weights));
  const { grads } = valueAndGrads(objective, inputs);
  inputs.forEach((x, k) => {
    const data = x.data as Float32Array;
    for (let i = 0; i < data.length; i++) {
      const saved = data[i]!;
      data[i] = saved + eps;
      const up = noGrad(objective).item();
      data[i] = saved - eps;
      const down = noGrad(objective).item();
      data[i] = saved;
      const numeric = (up - down) / (2 * eps);
      const analytic = grads[k]!.data[i]!;
      const scale = Math.max(1, Math.abs(numeric), Math.abs(analytic));
      assert.ok(Math.abs(numeric - analytic) <= tolerance * scale,
        `input ${k}, element ${i}: analytic ${analytic} vs numeric ${numeric}`);
    }
  });
}
