import { record } from '../autograd/tape.js';
import { getBackend } from '../backend/index.js';
import { pooledTensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';

export type WarpFillMode = 'reflect' | 'wrap' | 'constant' | 'nearest';
export type WarpInterpolation = 'bilinear' | 'nearest';

export interface AffineWarpOptions {
  /** How points outside the image are read; default 'reflect' (d c b a | a b c d | d c b a), as Keras's preprocessing layers. */
  fillMode?: WarpFillMode;
  interpolation?: WarpInterpolation;
  /** The value outside the image in 'constant' mode; default 0. */
  fillValue?: number;
}

/**
 * Maps a sampling coordinate along an axis of n pixels into the image, as TensorFlow's image
 * transforms do; NaN where 'constant' mode reads the fill value.
 */
function mapCoordinate(c: number, n: number, mode: WarpFillMode): number {
  if (mode === 'constant') return c;
  if (mode === 'nearest' || n === 1) return Math.min(Math.max(c, 0), n - 1);
  const period = mode === 'reflect' ? 2 * n : n;
  let t = (c + 0.5) % period;
  if (t < 0) t += period;
  const folded = mode === 'reflect' && t >= n ? period - t - 0.5 : t - 0.5;
  return Math.min(Math.max(folded, 0), n - 1);
}

/**
 * Warps each image by its own affine map: output pixel (x, y) of image b reads the input at
 * (m0·x + m1·y + m2, m3·x + m4·y + m5), m = matrices[6b … 6b + 5], in pixel coordinates
 * (Keras's and TensorFlow's transform convention, without the projective terms). The output
 * is a fixed linear combination of input pixels, so the gradient sends dy back along the
 * same weights.
 */
export function affineWarp(x: Tensor, matrices: Float64Array, options: AffineWarpOptions = {}): Tensor {
  if (x.rank !== 4) throw new Error(`affineWarp: expected images [batch, h, w, c], got [${x.shape.join(', ')}]`);
  const [batch, h, w, c] = x.shape as [number, number, number, number];
  if (matrices.length !== 6 * batch) throw new Error(`affineWarp: expected ${6 * batch} matrix entries for ${batch} images, got ${matrices.length}`);
  const { fillMode = 'reflect', interpolation = 'bilinear', fillValue = 0 } = options;
  // Per output pixel, up to four (input pixel offset, weight) taps; offset -1 reads the fill value.
  const taps = new Int32Array(batch * h * w * 4).fill(-1);
  const weights = new Float32Array(batch * h * w * 4);
  for (let b = 0; b < batch; b++) {
    const m = matrices.subarray(6 * b, 6 * b + 6);
    for (let oy = 0; oy < h; oy++) {
      for (let ox = 0; ox < w; ox++) {
        const px = mapCoordinate(m[0]! * ox + m[1]! * oy + m[2]!, w, fillMode);
        const py = mapCoordinate(m[3]! * ox + m[4]! * oy + m[5]!, h, fillMode);
        const slot = ((b * h + oy) * w + ox) * 4;
        const put = (k: number, iy: number, ix: number, weight: number): void => {
          weights[slot + k] = weight;
          if (iy >= 0 && iy < h && ix >= 0 && ix < w) taps[slot + k] = ((b * h + iy) * w + ix) * c;
        };
        if (interpolation === 'nearest') {
          put(0, Math.round(py), Math.round(px), 1);
        } else {
          const [y0, x0] = [Math.floor(py), Math.floor(px)];
          const [fy, fx] = [py - y0, px - x0];
          put(0, y0, x0, (1 - fy) * (1 - fx));
          put(1, y0, x0 + 1, (1 - fy) * fx);
          put(2, y0 + 1, x0, fy * (1 - fx));
          put(3, y0 + 1, x0 + 1, fy * fx);
        }
      }
    }
  }
  const backend = getBackend();
  const xs = x.f32;
  const out = backend.alloc(x.size).fill(0);
  for (let p = 0; p < batch * h * w; p++) {
    for (let k = 0; k < 4; k++) {
      const [tap, weight] = [taps[p * 4 + k]!, weights[p * 4 + k]!];
      if (weight === 0) continue;
      for (let ch = 0; ch < c; ch++) out[p * c + ch] += weight * (tap < 0 ? fillValue : xs[tap + ch]!);
    }
  }
  return record(pooledTensor(out, x.shape), 'affineWarp', [x], (dy) => {
    const dx = backend.alloc(x.size).fill(0);
    const g = dy.f32;
    for (let p = 0; p < batch * h * w; p++) {
      for (let k = 0; k < 4; k++) {
        const [tap, weight] = [taps[p * 4 + k]!, weights[p * 4 + k]!];
        if (tap < 0 || weight === 0) continue;
        for (let ch = 0; ch < c; ch++) dx[tap + ch] += weight * g[p * c + ch]!;
      }
    }
    return [pooledTensor(dx, x.shape)];
  });
}
