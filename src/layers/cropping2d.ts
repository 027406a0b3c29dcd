import { crop2d, type Margins, type MarginsArg, toMargins } from '../ops/spatial.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CallContext, Layer, type LayerArgs, type LayerConfig, type LayerShape } from '../models/layer.js';
import type { KerasConfig } from './config-reader.js';

export interface Cropping2DArgs extends LayerArgs {
  /** Rows and columns removed: `n`, `[rows, cols]` or `[[top, bottom], [left, right]]`; default 0. */
  cropping?: MarginsArg;
}

/** Removes rows and columns at the sides of each image, as Keras's Cropping2D. */
export class Cropping2D extends Layer {
  readonly margins: Margins;

  constructor(args: Cropping2DArgs = {}) {
    super('Cropping2D', args);
    this.margins = toMargins(args.cropping ?? 0, 'cropping', this.name);
  }

  call(x: Tensor, _context: CallContext): Tensor {
    return crop2d(x, this.margins);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    const [batch, h, w, c] = inputShape;
    const { top, bottom, left, right } = this.margins;
    const remaining = (n: number | null | undefined, cut: number): number | null => {
      if (n === null || n === undefined) return null;
      if (n - cut < 1) throw new Error(`${this.name} (Cropping2D): cropping ${cut} of ${n} pixels leaves nothing`);
      return n - cut;
    };
    return [batch ?? null, remaining(h, top + bottom), remaining(w, left + right), c ?? null];
  }

  protected layerConfig(): LayerConfig {
    const { top, bottom, left, right } = this.margins;
    return { cropping: [[top, bottom], [left, right]], data_format: 'channels_last' };
  }

  static fromConfig(c: KerasConfig): Cropping2D {
    c.channelsLast();
    return new Cropping2D({ ...c.layerArgs(), cropping: c.config.cropping as MarginsArg });
  }
}
