import { formatTensor } from './print.js';
import { type Shape, sizeOf } from './shape.js';
import { trackPooled } from './memory.js';

export type DType = 'float32' | 'int32';
export type TypedArray = Float32Array | Int32Array;

/** How a recorded op turns the gradient of its output into gradients of its inputs. */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  backward(dy: Tensor): (Tensor | null)[];
}

/**
 * An n-dimensional array: row-major data in a typed array, a shape, a dtype.
 * Freed by the garbage collector; nobody calls dispose. Ops never mutate their inputs;
 * only optimizers update weights in place.
 */
export class Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly data: TypedArray;
  /** Set by the tape when this tensor depends on a variable being differentiated. */
  requiresGrad = false;
  gradNode: GradNode | null = null;

  /**
   * @param pooled true when `data` came from the backend's allocator, so the engine may
   *   recycle it once the training step that made it is over.
   */
  constructor(data: TypedArray, shape: Shape, dtype: DType = 'float32', pooled = false) {
    const size = sizeOf(shape);
    if (data.length !== size) {
      throw new Error(`Tensor: data has ${data.length} values but shape [${shape.join(', ')}] needs ${size}`);
    }
    if (shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new Error(`Tensor: shape [${shape.join(', ')}] must hold non-negative integers`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    if (pooled) trackPooled(this);
  }

  get size(): number {
    return this.data.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The float32 data; throws for int32 tensors, which only carry labels. */
  get f32(): Float32Array {
    if (!(this.data instanceof Float32Array)) {
      throw new Error(`expected a float32 tensor, got ${this.dtype} of shape [${this.shape.join(', ')}]`);
    }
    return this.data;
  }

  /** The single value of a tensor with one element. */
  item(): number {
    if (this.size !== 1) throw new Error(`item(): tensor of shape [${this.shape.join(', ')}] has ${this.size} values, expected 1`);
    return this.data[0]!;
  }

  /** Nested JavaScript arrays (a number for a scalar). */
  toArray(): unknown {
    const build = (offset: number, dim: number): unknown => {
      if (dim === this.shape.length) return this.data[offset];
      const stride = sizeOf(this.shape.slice(dim + 1));
      return Array.from({ length: this.shape[dim]! }, (_, i) => build(offset + i * stride, dim + 1));
    };
    return build(0, 0);
  }

  toString(): string {
    return formatTensor(this);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
