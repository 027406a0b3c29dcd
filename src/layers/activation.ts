import { activate, type ActivationName, checkActivation } from '../ops/activations.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CallContext, Layer, type LayerArgs, type LayerConfig, type LayerShape } from '../models/layer.js';
import type { KerasConfig } from './config-reader.js';

export interface ActivationArgs extends LayerArgs {
  activation: ActivationName;
}

/** Applies an activation function on its own, as Keras's Activation layer. */
export class Activation extends Layer {
  readonly activation: ActivationName;

  constructor(args: ActivationArgs) {
    super('Activation', args);
    this.activation = checkActivation(args.activation, this.name);
  }

  call(x: Tensor, _context: CallContext): Tensor {
    return activate(x, this.activation);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  protected layerConfig(): LayerConfig {
    return { activation: this.activation };
  }

  static fromConfig(c: KerasConfig): Activation {
    return new Activation({ ...c.layerArgs(), activation: c.str('activation') as ActivationName });
  }
}
