import { reshape } from '../ops/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CallContext, Layer, type LayerArgs, type LayerConfig, type LayerShape } from '../models/layer.js';
import type { KerasConfig } from './config-reader.js';

export interface ReshapeArgs extends LayerArgs {
  /** One sample's new shape (no batch axis); one entry may be -1, inferred from the size. */
  targetShape: readonly number[];
}

/** Gives each sample a new shape with the same number of values, row-major, as Keras's Reshape. */
export class Reshape extends Layer {
  readonly targetShape: readonly number[];

  constructor(args: ReshapeArgs) {
    super('Reshape', args);
    const t = args.targetShape;
    if (!Array.isArray(t) || t.some((d) => !Number.isInteger(d) || (d < 1 && d !== -1)) || t.filter((d) => d === -1).length > 1) {
      throw new Error(`${this.name}: targetShape must hold positive integers and at most one -1, got ${JSON.stringify(t)}`);
    }
    this.targetShape = [...t];
  }

  call(x: Tensor, _context: CallContext): Tensor {
    return reshape(x, [x.shape[0]!, ...this.computeOutputShape([null, ...x.shape.slice(1)]).slice(1) as number[]]);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    const rest = inputShape.slice(1);
    if (rest.some((d) => d === null)) return [inputShape[0] ?? null, ...this.targetShape.map((d) => (d === -1 ? null : d))];
    const size = (rest as number[]).reduce((a, b) => a * b, 1);
    const known = this.targetShape.reduce((a, d) => (d === -1 ? a : a * d), 1);
    const inferred = size / known;
    if (!Number.isInteger(inferred) || (!this.targetShape.includes(-1) && known !== size)) {
      throw new Error(`${this.name} (Reshape): cannot reshape ${JSON.stringify(rest)} (${size} values) to ${JSON.stringify(this.targetShape)}`);
    }
    return [inputShape[0] ?? null, ...this.targetShape.map((d) => (d === -1 ? inferred : d))];
  }

  protected layerConfig(): LayerConfig {
    return { target_shape: [...this.targetShape] };
  }

  static fromConfig(c: KerasConfig): Reshape {
    return new Reshape({ ...c.layerArgs(), targetShape: c.ints('target_shape') });
  }
}
