import { record } from '../autograd/tape.js';
import { getBackend } from '../backend/index.js';
import { pooledTensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { erf, pointwise } from './pointwise.js';

const sigmoidOf = (v: number): number => 1 / (1 + Math.exp(-v));
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** x for x > 0, alpha·(eˣ − 1) below. */
export const elu = (x: Tensor, alpha = 1): Tensor =>
  pointwise('elu', x, (v) => (v > 0 ? v : alpha * Math.expm1(v)), (v) => (v > 0 ? 1 : alpha * Math.exp(v)));

/** Self-normalizing elu: scale·elu(x, alpha) with Klambauer et al.'s constants. */
export const selu = (x: Tensor): Tensor => pointwise('selu', x,
  (v) => SELU_SCALE * (v > 0 ? v : SELU_ALPHA * Math.expm1(v)), (v) => SELU_SCALE * (v > 0 ? 1 : SELU_ALPHA * Math.exp(v)));

/** Exact gelu, x·Φ(x), as Keras 3's activation (approximate = false). */
export const gelu = (x: Tensor): Tensor => pointwise('gelu', x, (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)),
  (v) => 0.5 * (1 + erf(v / Math.SQRT2)) + v * Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI));

/** x·sigmoid(x) (Keras's swish, also named silu). */
export const swish = (x: Tensor): Tensor => pointwise('swish', x, (v) => v * sigmoidOf(v), (v) => {
  const s = sigmoidOf(v);
  return s + v * s * (1 - s);
});

/** Keras 3's hard sigmoid: relu6(x + 3) / 6 (Keras 2 used 0.2·x + 0.5). */
export const hardSigmoid = (x: Tensor): Tensor =>
  pointwise('hard_sigmoid', x, (v) => Math.min(Math.max(v / 6 + 0.5, 0), 1), (v) => (v > -3 && v < 3 ? 1 / 6 : 0));

export interface ReluOptions {
  /** Slope below the threshold; default 0. */
  negativeSlope?: number;
  /** Upper bound (6 for relu6); default none. */
  maxValue?: number | null;
  /** Values below it are scaled by negativeSlope; default 0. */
  threshold?: number;
}

/**
 * Keras's general rectifier: maxValue from maxValue up, x from the threshold, negativeSlope·(x −
 * threshold) below. The gradient at the kinks is that of the lower piece, as TensorFlow's relu6.
 */
export function generalRelu(x: Tensor, { negativeSlope = 0, maxValue = null, threshold = 0 }: ReluOptions = {}): Tensor {
  const top = maxValue ?? Infinity;
  const backend = getBackend();
  const xs = x.f32;
  let out: Float32Array;
  if (negativeSlope === 0 && threshold === 0) {
    // ReLU6, after every MobileNet convolution: the backend's relu and minimum kernels.
    out = backend.unary('relu', xs);
    if (maxValue !== null) out = backend.binary('minimum', out, x.shape, new Float32Array([maxValue]), [], x.shape);
  } else {
    out = backend.alloc(x.size);
    for (let i = 0; i < out.length; i++) {
      const v = xs[i]!;
      out[i] = v >= top ? top : v >= threshold ? v : negativeSlope * (v - threshold);
    }
  }
  return record(pooledTensor(out, x.shape), 'relu', [x], (dy) => {
    const dx = backend.alloc(x.size);
    const g = dy.f32;
    for (let i = 0; i < dx.length; i++) {
      const v = xs[i]!;
      dx[i] = v >= top ? 0 : v > threshold ? g[i]! : negativeSlope * g[i]!;
    }
    return [pooledTensor(dx, x.shape)];
  });
}

export const relu6 = (x: Tensor): Tensor => generalRelu(x, { maxValue: 6 });

/** x for x ≥ 0, negativeSlope·x below (Keras 3's default slope is 0.3). */
export const leakyRelu = (x: Tensor, negativeSlope = 0.3): Tensor => generalRelu(x, { negativeSlope });
