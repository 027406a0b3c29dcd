import type { ActivationGradOp, BinaryOp, UnaryOp } from '../backend.js';
import { alloc } from './memory.js';

/**
 * relu as TensorFlow computes it: NaN stays NaN, so bad input shows in the loss instead of
 * vanishing into zeros while the weights it reaches turn NaN; -0 becomes +0.
 */
export const relu = (v: number): number => (v <= 0 ? 0 : v);

const unaryFns: Record<UnaryOp, (v: number) => number> = {
  neg: (v) => -v,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  square: (v) => v * v,
  abs: Math.abs,
  relu,
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  tanh: Math.tanh,
};

export function unary(op: UnaryOp, x: Float32Array): Float32Array {
  const f = unaryFns[op];
  const out = alloc(x.length, 'unary');
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]!);
  return out;
}

export function activationGrad(op: ActivationGradOp, y: Float32Array, dy: Float32Array): Float32Array {
  const out = alloc(y.length, 'activationGrad');
  if (op === 'relu') for (let i = 0; i < y.length; i++) out[i] = y[i]! > 0 ? dy[i]! : 0;
  else if (op === 'sigmoid') for (let i = 0; i < y.length; i++) out[i] = dy[i]! * y[i]! * (1 - y[i]!);
  else for (let i = 0; i < y.length; i++) out[i] = dy[i]! * (1 - y[i]! * y[i]!);
  return out;
}

const binaryFns: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: Math.max,
  minimum: Math.min,
};

/** Strides of `shape` aligned to the output's rank, 0 on broadcast axes. */
function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const strides = new Array<number>(outShape.length).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const o = outShape.length - shape.length + i;
    strides[o] = shape[i] === 1 ? 0 : s;
    s *= shape[i]!;
  }
  return strides;
}

export function binary(op: BinaryOp, a: Float32Array, aShape: readonly number[], b: Float32Array,
  bShape: readonly number[], outShape: readonly number[]): Float32Array {
  const f = binaryFns[op];
  const size = outShape.reduce((p, d) => p * d, 1);
  const out = alloc(size, 'binary');
  if (a.length === size && b.length === size) {
    for (let i = 0; i < size; i++) out[i] = f(a[i]!, b[i]!);
    return out;
  }
  if (a.length === size && size % b.length === 0 && isSuffix(bShape, outShape)) {
    const m = b.length;
    for (let i = 0; i < size; i++) out[i] = f(a[i]!, b[i % m]!);
    return out;
  }
  const rank = outShape.length;
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const index = new Array<number>(rank).fill(0);
  let ia = 0;
  let ib = 0;
  for (let i = 0; i < size; i++) {
    out[i] = f(a[ia]!, b[ib]!);
    for (let d = rank - 1; d >= 0; d--) {
      index[d]!++;
      ia += sa[d]!;
      ib += sb[d]!;
      if (index[d]! < outShape[d]!) break;
      ia -= sa[d]! * outShape[d]!;
      ib -= sb[d]! * outShape[d]!;
      index[d] = 0;
    }
  }
  return out;
}

/** True when `shape` (ignoring leading 1s) equals the trailing dims of `outShape`. */
function isSuffix(shape: readonly number[], outShape: readonly number[]): boolean {
  const dims = shape.slice(shape.findIndex((d) => d !== 1));
  if (shape.every((d) => d === 1)) return true;
  const tail = outShape.slice(outShape.length - dims.length);
  return dims.length <= outShape.length && dims.every((d, i) => d === tail[i]);
}
