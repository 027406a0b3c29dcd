import { softmax } from '../ops/activations.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CallContext, Layer, type LayerArgs, type LayerConfig, type LayerShape } from '../models/layer.js';
import type { KerasConfig } from './config-reader.js';

export interface SoftmaxArgs extends LayerArgs {
  /** The axis normalised; default -1, the only one supported (the classes axis). */
  axis?: number;
}

/** Softmax over the last axis as a layer of its own, as Keras's Softmax. */
export class Softmax extends Layer {
  readonly axis: number;

  constructor(args: SoftmaxArgs = {}) {
    super('Softmax', args);
    this.axis = args.axis ?? -1;
  }

  call(x: Tensor, _context: CallContext): Tensor {
    return softmax(x);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    if (normalizeAxis(this.axis, inputShape.length, this.name) !== inputShape.length - 1) {
      throw new Error(`${this.name} (Softmax): only the last axis is supported, got axis ${this.axis} of a rank-${inputShape.length} input`);
    }
    return inputShape;
  }

  protected layerConfig(): LayerConfig {
    return { axis: this.axis };
  }

  static fromConfig(c: KerasConfig): Softmax {
    return new Softmax({ ...c.layerArgs(), axis: c.num('axis', -1) });
  }
}
