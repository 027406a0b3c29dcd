import { max, mean } from '../ops/reduce.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CallContext, Layer, type LayerArgs, type LayerConfig, type LayerShape } from '../models/layer.js';
import type { KerasConfig } from './config-reader.js';

/** Keras 3's keepdims (deeptype always drops the pooled axes) must be off. */
function globalPoolingArgs(c: KerasConfig): LayerArgs {
  c.channelsLast();
  c.oneOf('keepdims', [undefined, false]);
  return c.layerArgs();
}

/** Averages each channel over height and width: (batch, h, w, c) → (batch, c). */
export class GlobalAveragePooling2D extends Layer {
  constructor(args: LayerArgs = {}) {
    super('GlobalAveragePooling2D', args);
  }

  static fromConfig(c: KerasConfig): GlobalAveragePooling2D {
    return new GlobalAveragePooling2D(globalPoolingArgs(c));
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

  static fromConfig(c: KerasConfig): GlobalMaxPooling2D {
    return new GlobalMaxPooling2D(globalPoolingArgs(c));
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
