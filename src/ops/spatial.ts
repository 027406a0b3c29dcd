import { record } from '../autograd/tape.js';
import { getBackend } from '../backend/index.js';
import { pooledTensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';

/** Rows and columns added (pad) or removed (crop) at each side of an NHWC image. */
export interface Margins {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

function dims(x: Tensor, op: string): [number, number, number, number] {
  if (x.rank !== 4) throw new Error(`${op}: expected input [batch, h, w, c], got [${x.shape.join(', ')}]`);
  return x.shape as [number, number, number, number];
}

/**
 * Copies the `h`×`w` window at (`y0`, `x0`) of each image in `src` (`srcH`×`srcW`) to
 * (`y1`, `x1`) of each image in `dst` (`dstH`×`dstW`): padding and cropping are this copy in
 * opposite directions, so each is the other's gradient.
 */
function copyWindow(src: Float32Array, srcH: number, srcW: number, dst: Float32Array, dstH: number, dstW: number,
  batch: number, c: number, h: number, w: number, y0: number, x0: number, y1: number, x1: number): void {
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < h; y++) {
      const from = ((b * srcH + y0 + y) * srcW + x0) * c;
      dst.set(src.subarray(from, from + w * c), ((b * dstH + y1 + y) * dstW + x1) * c);
    }
  }
}

/** Zeros around each image, as Keras's ZeroPadding2D. */
export function pad2d(x: Tensor, m: Margins): Tensor {
  const [batch, h, w, c] = dims(x, 'pad2d');
  const [outH, outW] = [h + m.top + m.bottom, w + m.left + m.right];
  const out = getBackend().alloc(batch * outH * outW * c).fill(0);
  copyWindow(x.f32, h, w, out, outH, outW, batch, c, h, w, 0, 0, m.top, m.left);
  return record(pooledTensor(out, [batch, outH, outW, c]), 'pad2d', [x], (dy) => [crop2d(dy, m)]);
}

/** Removes rows and columns at the sides of each image, as Keras's Cropping2D. */
export function crop2d(x: Tensor, m: Margins): Tensor {
  const [batch, h, w, c] = dims(x, 'crop2d');
  const [outH, outW] = [h - m.top - m.bottom, w - m.left - m.right];
  if (outH < 1 || outW < 1) throw new Error(`crop2d: cropping ${JSON.stringify(m)} leaves nothing of a ${h}×${w} image`);
  const out = getBackend().alloc(batch * outH * outW * c);
  copyWindow(x.f32, h, w, out, outH, outW, batch, c, outH, outW, m.top, m.left, 0, 0);
  return record(pooledTensor(out, [batch, outH, outW, c]), 'crop2d', [x], (dy) => [pad2d(dy, m)]);
}

/** Repeats each pixel `size[0]` times down and `size[1]` times across (nearest-neighbour upsampling). */
export function upsample2d(x: Tensor, size: [number, number]): Tensor {
  const [batch, h, w, c] = dims(x, 'upsample2d');
  const [sy, sx] = size;
  const [outH, outW] = [h * sy, w * sx];
  const backend = getBackend();
  const out = backend.alloc(batch * outH * outW * c);
  const xs = x.f32;
  /** Calls visit(input offset, output offset) for every output pixel. */
  const each = (visit: (i: number, o: number) => void): void => {
    for (let b = 0; b < batch; b++) {
      for (let y = 0; y < outH; y++) {
        for (let xo = 0; xo < outW; xo++) visit(((b * h + Math.floor(y / sy)) * w + Math.floor(xo / sx)) * c, ((b * outH + y) * outW + xo) * c);
      }
    }
  };
  each((i, o) => out.set(xs.subarray(i, i + c), o));
  return record(pooledTensor(out, [batch, outH, outW, c]), 'upsample2d', [x], (dy) => {
    const dx = backend.alloc(x.size).fill(0);
    const g = dy.f32;
    each((i, o) => {
      for (let k = 0; k < c; k++) dx[i + k] += g[o + k]!;
    });
    return [pooledTensor(dx, x.shape)];
  });
}

/** Keras's spellings of margins: `n`, `[rows, cols]` (both sides) or `[[top, bottom], [left, right]]`. */
export type MarginsArg = number | [number, number] | [[number, number], [number, number]];

export function toMargins(value: MarginsArg, name: string, where: string): Margins {
  const bothSides = (v: unknown): unknown[] | null => (typeof v === 'number' ? [v, v] : Array.isArray(v) && v.length === 2 ? v : null);
  const [rows, cols] = typeof value === 'number' ? [[value, value], [value, value]]
    : Array.isArray(value) && value.length === 2 ? [bothSides(value[0]), bothSides(value[1])] : [null, null];
  if (!rows || !cols || ![...rows, ...cols].every((v) => Number.isInteger(v) && (v as number) >= 0)) {
    throw new Error(`${where}: ${name} must be n, [rows, cols] or [[top, bottom], [left, right]] of non-negative integers, got ${JSON.stringify(value)}`);
  }
  const [top, bottom, left, right] = [...rows, ...cols] as number[];
  return { top: top!, bottom: bottom!, left: left!, right: right! };
}
