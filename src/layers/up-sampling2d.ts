import { pair } from '../ops/padding.js';
import { upsample2d } from '../ops/spatial.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CallContext, Layer, type LayerArgs, type LayerConfig, type LayerShape } from '../models/layer.js';
import type { KerasConfig } from './config-reader.js';

export interface UpSampling2DArgs extends LayerArgs {
  /** Repeats down and across: `2` or `[2, 2]` (default). */
  size?: number | [number, number];
}

/** Repeats each pixel into a size[0]×size[1] block (nearest neighbour), as Keras's UpSampling2D. */
export class UpSampling2D extends Layer {
  readonly size: [number, number];

  constructor(args: UpSampling2DArgs = {}) {
    super('UpSampling2D', args);
    this.size = pair(args.size ?? 2, 'size', this.name);
  }

  call(x: Tensor, _context: CallContext): Tensor {
    return upsample2d(x, this.size);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    const [batch, h, w, c] = inputShape;
    return [batch ?? null, h == null ? null : h * this.size[0], w == null ? null : w * this.size[1], c ?? null];
  }

  protected layerConfig(): LayerConfig {
    return { size: this.size, data_format: 'channels_last', interpolation: 'nearest' };
  }

  static fromConfig(c: KerasConfig): UpSampling2D {
    c.channelsLast();
    c.oneOf('interpolation', [undefined, 'nearest']);
    return new UpSampling2D({ ...c.layerArgs(), size: c.pair('size', 2) });
  }
}
