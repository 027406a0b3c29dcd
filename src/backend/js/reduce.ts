import type { ReduceOp } from '../backend.js';
import { alloc } from './memory.js';

export function reduce(op: ReduceOp, x: Float32Array, outer: number, n: number, inner: number): Float32Array {
  const out = alloc(outer * inner, 'reduce');
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    for (let i = 0; i < inner; i++) {
      let acc = op === 'sum' ? 0 : -Infinity;
      for (let r = 0; r < n; r++) {
        const v = x[base + r * inner + i]!;
        acc = op === 'sum' ? acc + v : v > acc || Number.isNaN(v) ? v : acc;
      }
      out[o * inner + i] = acc;
    }
  }
  return out;
}

export function transpose(x: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const rank = shape.length;
  const out = alloc(x.length, 'transpose');
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let d = rank - 1; d >= 0; d--) {
    inStrides[d] = s;
    s *= shape[d]!;
  }
  const outShape = perm.map((p) => shape[p]!);
  const step = perm.map((p) => inStrides[p]!);
  const index = new Array<number>(rank).fill(0);
  let src = 0;
  for (let i = 0; i < x.length; i++) {
    out[i] = x[src]!;
    for (let d = rank - 1; d >= 0; d--) {
      index[d]!++;
      src += step[d]!;
      if (index[d]! < outShape[d]!) break;
      src -= step[d]! * outShape[d]!;
      index[d] = 0;
    }
  }
  return out;
}

export function softmax(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = alloc(x.length, 'softmax');
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, x[base + c]!);
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const e = Math.exp(x[base + c]! - max);
      out[base + c] = e;
      sum += e;
    }
    for (let c = 0; c < cols; c++) out[base + c]! /= sum;
  }
  return out;
}
