import { record } from '../autograd/tape.js';
import type { ReduceOp } from '../backend/backend.js';
import { getBackend } from '../backend/index.js';
import { pooledTensor } from '../tensor/create.js';
import { normalizeAxis, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, mul } from './arithmetic.js';
import { reshape } from './shape.js';

function resolveAxes(x: Tensor, axis: number | readonly number[] | undefined, op: string): number[] {
  if (axis === undefined) return x.shape.map((_, i) => i);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  return [...new Set(list.map((a) => normalizeAxis(a, x.rank, op)))].sort((a, b) => a - b);
}

function keptShape(x: Tensor, axes: readonly number[]): number[] {
  return x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** Runs of adjacent axes, e.g. [0, 1, 2, 4] → [[0, 3], [4, 5]] as [first, end) pairs. */
function adjacentRuns(axes: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const a of axes) {
    const last = runs.at(-1);
    if (last && last[1] === a) last[1] = a + 1;
    else runs.push([a, a + 1]);
  }
  return runs;
}

/**
 * Reduces each run of adjacent axes in one pass, as the middle axis of [outer, n, inner]: a
 * bias gradient (axes 0–2 of NHWC) reads its input once.
 */
function reduceRaw(op: ReduceOp, x: Tensor, axes: readonly number[], keepDims: boolean): Tensor {
  let data = x.f32;
  const shape = [...x.shape];
  for (const [first, end] of adjacentRuns(axes).reverse()) {
    const outer = sizeOf(shape.slice(0, first));
    const inner = sizeOf(shape.slice(end));
    data = getBackend().reduce(op, data, outer, sizeOf(shape.slice(first, end)), inner);
    shape.fill(1, first, end);
  }
  if (axes.length === 0) data = getBackend().reduce(op, data, 1, 1, data.length);
  const outShape = keepDims ? shape : shape.filter((_, i) => !axes.includes(i));
  return pooledTensor(data, outShape);
}

/** Sum over axes without recording (used by backward rules too). */
export function sumAxes(x: Tensor, axes: readonly number[], keepDims = false): Tensor {
  return reduceRaw('sum', x, axes, keepDims);
}

/** Sum over `axis` (all axes when omitted). */
export function sum(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  const axes = resolveAxes(x, axis, 'sum');
  return record(reduceRaw('sum', x, axes, keepDims), 'sum', [x],
    (dy) => [add(reshape(dy, keptShape(x, axes)), pooledTensor(getBackend().alloc(x.size).fill(0), x.shape))]);
}

/** Mean over `axis` (all axes when omitted). */
export function mean(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  const axes = resolveAxes(x, axis, 'mean');
  const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
  return div(sum(x, axes, keepDims), count);
}

/** Max over `axis` (all axes when omitted); tied maxima share the gradient equally, as in TF. */
export function max(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  const axes = resolveAxes(x, axis, 'max');
  const y = reduceRaw('max', x, axes, keepDims);
  return record(y, 'max', [x], (dy) => {
    const kept = keptShape(x, axes);
    const yb = add(reshape(y, kept), pooledTensor(getBackend().alloc(x.size).fill(0), x.shape));
    const mask = getBackend().alloc(x.size);
    for (let i = 0; i < x.size; i++) mask[i] = x.f32[i] === yb.f32[i] ? 1 : 0;
    const maskT = pooledTensor(mask, x.shape);
    const ties = reshape(sumAxes(maskT, axes, true), kept);
    return [mul(maskT, div(reshape(dy, kept), ties))];
  });
}

/** Index of the largest value along the last axis, per row (no gradient). */
export function argMax(x: Tensor): Int32Array {
  const cols = x.shape[x.rank - 1] ?? 1;
  const rows = x.size / cols;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (x.f32[r * cols + c]! > x.f32[r * cols + best]!) best = c;
    out[r] = best;
  }
  return out;
}
