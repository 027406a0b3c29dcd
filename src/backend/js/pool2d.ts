import type { Pool2DInfo } from '../backend.js';
import { alloc } from './memory.js';

/** Calls `visit(outIndex, inBase, count)` with the in-bounds cells of each window, per channel 0. */
function forEachWindow(info: Pool2DInfo,
  visit: (outPixel: number, cells: number[]) => void): void {
  const { batch, inH, inW, outH, outW, poolH, poolW, strideH, strideW, padTop, padLeft } = info;
  const cells: number[] = [];
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        cells.length = 0;
        for (let ky = 0; ky < poolH; ky++) {
          const iy = oy * strideH + ky - padTop;
          if (iy < 0 || iy >= inH) continue;
          for (let kx = 0; kx < poolW; kx++) {
            const ix = ox * strideW + kx - padLeft;
            if (ix >= 0 && ix < inW) cells.push((b * inH + iy) * inW + ix);
          }
        }
        visit((b * outH + oy) * outW + ox, cells);
      }
    }
  }
}

export function maxPool(x: Float32Array, info: Pool2DInfo): Float32Array {
  const C = info.channels;
  const y = alloc(info.batch * info.outH * info.outW * C);
  forEachWindow(info, (out, cells) => {
    for (let c = 0; c < C; c++) {
      let m = -Infinity;
      for (const cell of cells) m = Math.max(m, x[cell * C + c]!);
      y[out * C + c] = m;
    }
  });
  return y;
}

export function maxPoolBackward(x: Float32Array, dy: Float32Array, info: Pool2DInfo): Float32Array {
  const C = info.channels;
  const dx = alloc(x.length).fill(0);
  forEachWindow(info, (out, cells) => {
    for (let c = 0; c < C; c++) {
      let best = -1;
      let m = -Infinity;
      for (const cell of cells) {
        const v = x[cell * C + c]!;
        if (best < 0 || v > m) {
          m = v;
          best = cell;
        }
      }
      if (best >= 0) dx[best * C + c] += dy[out * C + c]!;
    }
  });
  return dx;
}

export function avgPool(x: Float32Array, info: Pool2DInfo): Float32Array {
  const C = info.channels;
  const y = alloc(info.batch * info.outH * info.outW * C);
  forEachWindow(info, (out, cells) => {
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (const cell of cells) s += x[cell * C + c]!;
      y[out * C + c] = s / cells.length;
    }
  });
  return y;
}

export function avgPoolBackward(dy: Float32Array, info: Pool2DInfo): Float32Array {
  const C = info.channels;
  const dx = alloc(info.batch * info.inH * info.inW * C).fill(0);
  forEachWindow(info, (out, cells) => {
    for (let c = 0; c < C; c++) {
      const g = dy[out * C + c]! / cells.length;
      for (const cell of cells) dx[cell * C + c] += g;
    }
  });
  return dx;
}
