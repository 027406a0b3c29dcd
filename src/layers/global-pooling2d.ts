import { max, mean } from '../ops/reduce.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CallContext, Layer, type LayerArgs, type LayerConfig, type LayerShape } from '../models/layer.js';

/** Averages each channel over height and width: (batch, h, w, c) → (batch, c). */
export class GlobalAveragePooling2D extends Layer {
  constructor(args: LayerArgs = {}) {
    super('GlobalAveragePooling2D', args);
  }

  call(x: Tensor, _context: CallContext): Tensor {
    return mean(x, [1, 2]);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return [inputShape[0] ?? null, inputShape[3] ?? null];
  }

  protected layerConfig(): LayerConfig {
    return { data_format: 'channels_last' };
  }
}

/** Takes each channel's maximum over height and width: (batch, h, w, c) → (batch, c). */
export class GlobalMaxPooling2D extends Layer {
  constructor(args: LayerArgs = {}) {
    super('GlobalMaxPooling2D', args);
  }

  call(x: Tensor, _context: CallContext): Tensor {
    return max(x, [1, 2]);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return [inputShape[0] ?? null, inputShape[3] ?? null];
  }

  protected layerConfig(): LayerConfig {
    return { data_format: 'channels_last' };
  }
}
