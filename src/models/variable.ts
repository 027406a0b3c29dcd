import type { Tensor } from '../tensor/tensor.js';

/**
 * A named weight. `value`'s storage is updated in place by optimizers and by loading, so
 * references held by the layer stay valid. `name` is the Keras weight name (`conv2d_1/kernel:0`).
 */
export class Variable {
  constructor(
    readonly name: string,
    readonly value: Tensor,
    /** The weight's own flag; a layer's and its models' flags also apply (see Layer.trainableWeights). */
    public trainable = true,
  ) {}

  get shape(): readonly number[] {
    return this.value.shape;
  }

  /** Overwrites the values in place, checking the shape. */
  assign(values: Float32Array | Tensor, where = this.name): void {
    const data = values instanceof Float32Array ? values : values.f32;
    if (data.length !== this.value.size) {
      throw new Error(`${where}: expected ${this.value.size} values for shape [${this.shape.join(', ')}], got ${data.length}`);
    }
    this.value.f32.set(data);
  }
}
