import { flatten } from '../ops/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CallContext, Layer, type LayerArgs, type LayerConfig, type LayerShape } from '../models/layer.js';
import type { KerasConfig } from './config-reader.js';

/** (batch, ...) → (batch, product of the rest), row-major over (h, w, c) as Keras's channels_last. */
export class Flatten extends Layer {
  constructor(args: LayerArgs = {}) {
    super('Flatten', args);
  }

  call(x: Tensor, _context: CallContext): Tensor {
    return flatten(x);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    const rest = inputShape.slice(1);
    return [inputShape[0] ?? null, rest.every((d) => d !== null) ? (rest as number[]).reduce((a, b) => a * b, 1) : null];
  }

  protected layerConfig(): LayerConfig {
    return { data_format: 'channels_last' };
  }

  static fromConfig(c: KerasConfig): Flatten {
    return new Flatten(c.layerArgs());
  }
}
