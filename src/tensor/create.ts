import { checkAllocation } from '../backend/allocation.js';
import { getBackend } from '../backend/index.js';
import { type Random, rngFor } from './random.js';
import { type Shape, sizeOf } from './shape.js';
import { type DType, Tensor } from './tensor.js';

type NestedNumbers = number | readonly NestedNumbers[];

function inferShape(values: NestedNumbers): number[] {
  const shape: number[] = [];
  let v: NestedNumbers = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = (v as readonly NestedNumbers[])[0] ?? 0;
  }
  return shape;
}

/**
 * A tensor from nested arrays or a flat typed array / array plus a shape.
 * @example tensor([[1, 2], [3, 4]])            // shape [2, 2]
 * @example tensor(new Float32Array(6), [2, 3])
 */
export function tensor(values: NestedNumbers | Float32Array | Int32Array | readonly number[], shape?: Shape,
  dtype: DType = 'float32'): Tensor {
  const isTyped = values instanceof Float32Array || values instanceof Int32Array;
  const flat = isTyped ? Array.from(values as ArrayLike<number>) : typeof values === 'number' ? [values]
    : (values as unknown[]).flat(Infinity) as number[];
  const finalShape = shape ?? (isTyped ? [flat.length] : inferShape(values as NestedNumbers));
  if (flat.length !== sizeOf(finalShape)) {
    throw new Error(`tensor: got ${flat.length} values for shape [${finalShape.join(', ')}] (${sizeOf(finalShape)} needed)`);
  }
  const data = dtype === 'int32' ? Int32Array.from(flat) : Float32Array.from(flat);
  return new Tensor(data, finalShape, dtype);
}

/** A tensor whose buffer comes from the backend's pool (what ops produce). */
export function pooledTensor(data: Float32Array, shape: Shape): Tensor {
  return new Tensor(data, shape, 'float32', true);
}

/** A tensor of `shape` holding `value`; `op` names the caller in a too-large-allocation error. */
export function fill(shape: Shape, value: number, op = 'fill'): Tensor {
  return pooledTensor(getBackend().alloc(sizeOf(shape), op).fill(value), shape);
}

export const zeros = (shape: Shape): Tensor => fill(shape, 0, 'zeros');
export const ones = (shape: Shape): Tensor => fill(shape, 1, 'ones');
export const onesLike = (t: Tensor, value = 1): Tensor => fill(t.shape, value, 'onesLike');
export const scalar = (value: number): Tensor => tensor([value], []);

export interface RandomOptions {
  /** Seed for this call alone; without it the global generator (see setSeed) is used. */
  seed?: number;
}

function sample(shape: Shape, draw: (rng: Random) => number, op: string, seed?: number): Tensor {
  const rng = rngFor(seed);
  checkAllocation(sizeOf(shape), op);
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = draw(rng);
  return new Tensor(data, shape);
}

/** Uniform samples in [minval, maxval). */
export function randomUniform(shape: Shape, minval = 0, maxval = 1, options: RandomOptions = {}): Tensor {
  return sample(shape, (r) => r.uniform(minval, maxval), 'randomUniform', options.seed);
}

/** Normal samples with the given mean and standard deviation. */
export function randomNormal(shape: Shape, mean = 0, stddev = 1, options: RandomOptions = {}): Tensor {
  return sample(shape, (r) => mean + stddev * r.normal(), 'randomNormal', options.seed);
}
