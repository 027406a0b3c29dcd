import { type Margins, type MarginsArg, pad2d, toMargins } from '../ops/spatial.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CallContext, Layer, type LayerArgs, type LayerConfig, type LayerShape } from '../models/layer.js';
import type { KerasConfig } from './config-reader.js';

export interface ZeroPadding2DArgs extends LayerArgs {
  /** Rows and columns of zeros: `n`, `[rows, cols]` or `[[top, bottom], [left, right]]`; default 1. */
  padding?: MarginsArg;
}

/** Adds rows and columns of zeros around each image, as Keras's ZeroPadding2D (MobileNet's strided blocks). */
export class ZeroPadding2D extends Layer {
  readonly margins: Margins;

  constructor(args: ZeroPadding2DArgs = {}) {
    super('ZeroPadding2D', args);
    this.margins = toMargins(args.padding ?? 1, 'padding', this.name);
  }

  call(x: Tensor, _context: CallContext): Tensor {
    return pad2d(x, this.margins);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    const [batch, h, w, c] = inputShape;
    const { top, bottom, left, right } = this.margins;
    return [batch ?? null, h == null ? null : h + top + bottom, w == null ? null : w + left + right, c ?? null];
  }

  protected layerConfig(): LayerConfig {
    const { top, bottom, left, right } = this.margins;
    return { padding: [[top, bottom], [left, right]], data_format: 'channels_last' };
  }

  static fromConfig(c: KerasConfig): ZeroPadding2D {
    c.channelsLast();
    return new ZeroPadding2D({ ...c.layerArgs(), padding: c.config.padding as MarginsArg });
  }
}
