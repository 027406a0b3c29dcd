import type { Pool2DInfo } from '../backend.js';
import { alloc } from './memory.js';

/**
 * Calls `visit(outPixel, cells, slots)` for each window with its in-bounds cells, as pixel
 * indices, and where each sits in the window (ky·poolW + kx).
 */
function forEachWindow(info: Pool2DInfo,
  visit: (outPixel: number, cells: number[], slots: number[]) => void): void {
  const { batch, inH, inW, outH, outW, poolH, poolW, strideH, strideW, padTop, padLeft } = info;
  const cells: number[] = [];
  const slots: number[] = [];
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        cells.length = 0;
        slots.length = 0;
        for (let ky = 0; ky < poolH; ky++) {
          const iy = oy * strideH + ky - padTop;
          if (iy < 0 || iy >= inH) continue;
          for (let kx = 0; kx < poolW; kx++) {
            const ix = ox * strideW + kx - padLeft;
            if (ix >= 0 && ix < inW) {
              cells.push((b * inH + iy) * inW + ix);
              slots.push(ky * poolW + kx);
            }
          }
        }
        visit((b * outH + oy) * outW + ox, cells, slots);
      }
    }
  }
}

export function maxPool(x: Float32Array, info: Pool2DInfo): Float32Array {
  const C = info.channels;
  const y = alloc(info.batch * info.outH * info.outW * C, 'maxPool');
  forEachWindow(info, (out, cells) => {
    for (let c = 0; c < C; c++) {
      let m = -Infinity;
      for (const cell of cells) m = Math.max(m, x[cell * C + c]!);
      y[out * C + c] = m;
    }
  });
  return y;
}

/**
 * maxPool, and in `winners` each value's window cell (ky·poolW + kx): the first maximal one,
 * as maxPoolBackward routes to (NaN wins the value, never the cell).
 */
export function maxPoolWithWinners(x: Float32Array, info: Pool2DInfo, winners: Uint8Array): Float32Array {
  const y = maxPool(x, info);
  const C = info.channels;
  forEachWindow(info, (out, cells, slots) => {
    for (let c = 0; c < C; c++) winners[out * C + c] = slots[firstMaximal(x, cells, C, c)]!;
  });
  return y;
}

/** Which of `cells` holds the first strictly greatest value of channel c (0 when there are none). */
function firstMaximal(x: Float32Array, cells: readonly number[], C: number, c: number): number {
  let best = 0;
  for (let i = 1; i < cells.length; i++) if (x[cells[i]! * C + c]! > x[cells[best]! * C + c]!) best = i;
  return best;
}

export function maxPoolBackward(x: Float32Array, dy: Float32Array, info: Pool2DInfo): Float32Array {
  const C = info.channels;
  const dx = alloc(x.length, 'maxPoolBackward').fill(0);
  forEachWindow(info, (out, cells) => {
    for (let c = 0; c < C; c++) {
      if (cells.length) dx[cells[firstMaximal(x, cells, C, c)]! * C + c] += dy[out * C + c]!;
    }
  });
  return dx;
}

/** maxPoolBackward with each window's winning cell given (maxPoolWithWinners) rather than found. */
export function maxPoolBackwardFromWinners(winners: Uint8Array, dy: Float32Array, info: Pool2DInfo): Float32Array {
  const C = info.channels;
  const dx = alloc(info.batch * info.inH * info.inW * C, 'maxPoolBackwardFromWinners').fill(0);
  forEachWindow(info, (out, cells, slots) => {
    for (let c = 0; c < C; c++) {
      const i = slots.indexOf(winners[out * C + c]!);
      if (i >= 0) dx[cells[i]! * C + c] += dy[out * C + c]!;
    }
  });
  return dx;
}

export function avgPool(x: Float32Array, info: Pool2DInfo): Float32Array {
  const C = info.channels;
  const y = alloc(info.batch * info.outH * info.outW * C, 'avgPool');
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
  const dx = alloc(info.batch * info.inH * info.inW * C, 'avgPoolBackward').fill(0);
  forEachWindow(info, (out, cells) => {
    for (let c = 0; c < C; c++) {
      const g = dy[out * C + c]! / cells.length;
      for (const cell of cells) dx[cell * C + c] += g;
    }
  });
  return dx;
}
