import { transpose } from '../ops/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CallContext, Layer, type LayerArgs, type LayerConfig, type LayerShape } from '../models/layer.js';
import type { KerasConfig } from './config-reader.js';

export interface PermuteArgs extends LayerArgs {
  /** The new order of one sample's axes, numbered from 1 as Keras does: `[2, 1]` swaps them. */
  dims: readonly number[];
}

/** Reorders each sample's axes (the batch axis stays first), as Keras's Permute. */
export class Permute extends Layer {
  readonly dims: readonly number[];

  constructor(args: PermuteArgs) {
    super('Permute', args);
    const sorted = [...args.dims].sort((a, b) => a - b);
    if (sorted.length === 0 || sorted.some((d, i) => d !== i + 1)) {
      throw new Error(`${this.name}: dims must be a permutation of 1..${args.dims.length}, got ${JSON.stringify(args.dims)}`);
    }
    this.dims = [...args.dims];
  }

  call(x: Tensor, _context: CallContext): Tensor {
    return transpose(x, [0, ...this.dims]);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    if (inputShape.length !== this.dims.length + 1) {
      throw new Error(`${this.name} (Permute): dims ${JSON.stringify(this.dims)} need inputs of rank ${this.dims.length + 1}, got ${inputShape.length}`);
    }
    return [inputShape[0] ?? null, ...this.dims.map((d) => inputShape[d] ?? null)];
  }

  protected layerConfig(): LayerConfig {
    return { dims: [...this.dims] };
  }

  static fromConfig(c: KerasConfig): Permute {
    return new Permute({ ...c.layerArgs(), dims: c.ints('dims') });
  }
}
