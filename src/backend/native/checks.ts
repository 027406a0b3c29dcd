import type { Conv2DInfo, Pool2DInfo } from '../backend.js';

/**
 * Argument checks run before every native call: the C++ kernels trust their sizes, so a
 * wrong length here must become a JS error, never an out-of-bounds read.
 */
export function checkLength(kernel: string, name: string, array: Float32Array | Uint8Array, expected: number): void {
  if (array.length !== expected) {
    throw new Error(`${kernel}: ${name} has ${array.length} elements, expected ${expected}`);
  }
}

export function checkCount(kernel: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new Error(`${kernel}: ${name} must be a non-negative integer, got ${value}`);
}

/** A [rows, width] block at `offset` in rows `stride` apart must lie inside `array`'s rows. */
export function checkBlock(kernel: string, name: string, array: Float32Array, stride: number, offset: number,
  rows: number, width: number): void {
  if (rows && width && (offset + width > stride || (rows - 1) * stride + offset + width > array.length)) {
    throw new Error(`${kernel}: a ${rows}×${width} block at offset ${offset} in rows of ${stride} does not fit ` +
      `${name} (${array.length} elements)`);
  }
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

export function checkShape(kernel: string, name: string, shape: readonly number[]): void {
  for (const d of shape) checkCount(kernel, `${name} [${shape.join(', ')}]`, d);
}

/** `shape` must broadcast to `outShape` (NumPy rules: aligned right, each dim equal or 1). */
export function checkBroadcast(kernel: string, name: string, shape: readonly number[], outShape: readonly number[]): void {
  const offset = outShape.length - shape.length;
  if (offset < 0 || shape.some((d, i) => d !== 1 && d !== outShape[offset + i])) {
    throw new Error(`${kernel}: ${name} [${shape.join(', ')}] does not broadcast to [${outShape.join(', ')}]`);
  }
}

const convFields = ['batch', 'inH', 'inW', 'inC', 'outH', 'outW', 'outC', 'kernelH', 'kernelW', 'strideH', 'strideW',
  'padTop', 'padLeft'] as const satisfies readonly (keyof Conv2DInfo)[];
const poolFields = ['batch', 'inH', 'inW', 'channels', 'outH', 'outW', 'poolH', 'poolW', 'strideH', 'strideW', 'padTop',
  'padLeft'] as const satisfies readonly (keyof Pool2DInfo)[];

/** The info's fields in the order of native/kernels.h's ConvGeom / PoolGeom. */
export function convGeometry(kernel: string, info: Conv2DInfo): Int32Array {
  return geometry(kernel, info, convFields);
}

export function poolGeometry(kernel: string, info: Pool2DInfo): Int32Array {
  return geometry(kernel, info, poolFields);
}

function geometry<T>(kernel: string, info: T, fields: readonly (keyof T & string)[]): Int32Array {
  const out = new Int32Array(fields.length);
  fields.forEach((field, i) => {
    const v = info[field] as unknown as number;
    const min = field.startsWith('pad') ? 0 : 1;
    if (!Number.isInteger(v) || v < min || v > 0x7fffffff) {
      throw new Error(`${kernel}: ${field} must be an integer ≥ ${min}, got ${v}`);
    }
    out[i] = v;
  });
  return out;
}
