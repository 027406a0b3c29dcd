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

export interface GradCheckOptions {
  /**
   * The finite-difference step h: the stencil reads f at x ± h and x ± 2h, so every kink (ReLU
   * at 0, a max's runner-up) must lie more than 2h from the inputs.
   */
  step?: number;
  /** Relative tolerance. */
  rtol?: number;
  /** Absolute floor, for entries whose true gradient is 0 or tiny. */
  atol?: number;
  /** Seed of the output weights w. */
  seed?: number;
}

/**
 * Compares the tape's gradients of J = Σ w·f(inputs) (w: fixed random weights, so every output
 * element matters differently) with finite differences, entry by entry: each must satisfy
 * |numeric − analytic| ≤ atol + rtol·max(|numeric|, |analytic|).
 *
 * The kernels compute in float32 only, so the numeric side is made as exact as float32 allows:
 * J is summed in float64 from f's output (a float32 sum would round away the differences),
 * and two central differences, at h and 2h, are combined by Richardson extrapolation,
 * (4·D(h) − D(2h))/3, whose error is O(h⁴): h can then be large enough that the float32
 * rounding of f's outputs, divided by h, stays below the absolute floor.
 *
 * A check that cannot fail proves nothing: for each input, the gradient scaled by 0.95 must
 * fail it on at least one entry, or the check itself fails.
 */
export function checkGrad(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[],
  { step = 2 ** -5, rtol = 1e-3, atol = 1e-5, seed = 7 }: GradCheckOptions = {}): void {
  const probe = noGrad(() => f(...inputs));
  const weights = randomTensor([...probe.shape], seed);
  const objective = (): number => {
    const y = noGrad(() => f(...inputs)).data;
    let total = 0;
    for (let j = 0; j < y.length; j++) total += weights.data[j]! * y[j]!;
    return total;
  };
  const { grads } = valueAndGrads(() => sum(mul(f(...inputs), weights)), inputs);
  const within = (numeric: number, analytic: number): boolean =>
    Math.abs(numeric - analytic) <= atol + rtol * Math.max(Math.abs(numeric), Math.abs(analytic));
  inputs.forEach((x, k) => {
    const data = x.data as Float32Array;
    /** (J(x + d) − J(x − d)) / (the float32 distance between the two points). */
    const central = (i: number, d: number): number => {
      const saved = data[i]!;
      data[i] = saved + d;
      const [hi, up] = [data[i]!, objective()];
      data[i] = saved - d;
      const [lo, down] = [data[i]!, objective()];
      data[i] = saved;
      return (up - down) / (hi - lo);
    };
    let sensitive = false;
    for (let i = 0; i < data.length; i++) {
      const numeric = (4 * central(i, step) - central(i, 2 * step)) / 3;
      const analytic = grads[k]!.data[i]!;
      assert.ok(within(numeric, analytic), `input ${k}, element ${i}: analytic ${analytic} vs numeric ${numeric}`);
      sensitive ||= !within(numeric, 0.95 * analytic);
    }
    assert.ok(sensitive, `input ${k}: a gradient 5% off would pass this check; use larger values or fewer zeros`);
  });
}
