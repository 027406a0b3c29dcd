import { add, mul } from '../ops/arithmetic.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CallContext, Layer, type LayerArgs, type LayerConfig, type LayerShape } from '../models/layer.js';
import type { KerasConfig } from './config-reader.js';

export interface RescalingArgs extends LayerArgs {
  /** Multiplies the input: 1/255 maps 8-bit pixels to [0, 1]. */
  scale: number;
  /** Added after scaling; default 0. */
  offset?: number;
}

/** x·scale + offset, in training and inference alike, as Keras's Rescaling preprocessing layer. */
export class Rescaling extends Layer {
  readonly scale: number;
  readonly offset: number;

  constructor(args: RescalingArgs) {
    super('Rescaling', args);
    if (!Number.isFinite(args.scale)) throw new Error(`${this.name}: scale must be a finite number, got ${args.scale}`);
    this.scale = args.scale;
    this.offset = args.offset ?? 0;
    if (!Number.isFinite(this.offset)) throw new Error(`${this.name}: offset must be a finite number, got ${this.offset}`);
  }

  call(x: Tensor, _context: CallContext): Tensor {
    const y = mul(x, this.scale);
    return this.offset === 0 ? y : add(y, this.offset);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  protected layerConfig(): LayerConfig {
    return { scale: this.scale, offset: this.offset };
  }

  static fromConfig(c: KerasConfig): Rescaling {
    return new Rescaling({ ...c.layerArgs(), scale: c.num('scale'), offset: c.num('offset', 0) });
  }
}
