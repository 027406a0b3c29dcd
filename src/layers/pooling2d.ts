import { checkPadding, outputLength, type Padding, pair } from '../ops/padding.js';
import { averagePool2d, maxPool2d, type Pool2DOptions } from '../ops/pool2d.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CallContext, Layer, type LayerArgs, type LayerConfig, type LayerShape } from '../models/layer.js';
import type { KerasConfig } from './config-reader.js';

export interface Pooling2DArgs extends LayerArgs {
  /** Window size; default 2 (i.e. [2, 2]). */
  poolSize?: number | [number, number];
  /** Step between windows; default (null) = the pool size. */
  strides?: number | [number, number] | null;
  /** 'valid' (default) or 'same'; padded cells never count. */
  padding?: Padding;
}

/** Shared geometry of MaxPooling2D and AveragePooling2D; subclasses pick the reduction. */
abstract class Pooling2D extends Layer {
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;

  constructor(className: string, args: Pooling2DArgs) {
    super(className, args);
    this.poolSize = pair(args.poolSize ?? 2, 'poolSize', this.name);
    this.strides = pair(args.strides ?? this.poolSize, 'strides', this.name);
    this.padding = checkPadding(args.padding ?? 'valid', this.name);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    const [batch, h, w, c] = inputShape;
    const out = (n: number | null | undefined, i: 0 | 1): number | null =>
      outputLength(n, this.poolSize[i], this.strides[i], this.padding, `${this.name} (${this.className})`);
    return [batch ?? null, out(h, 0), out(w, 1), c ?? null];
  }

  get poolOptions(): Pool2DOptions {
    return { poolSize: this.poolSize, strides: this.strides, padding: this.padding };
  }

  protected layerConfig(): LayerConfig {
    return { pool_size: this.poolSize, padding: this.padding, strides: this.strides, data_format: 'channels_last' };
  }

  /** Constructor arguments from a MaxPooling2D or AveragePooling2D config. */
  protected static argsFrom(c: KerasConfig): Pooling2DArgs {
    c.channelsLast();
    return { ...c.layerArgs(), poolSize: c.pair('pool_size', 2), strides: c.has('strides') ? c.pair('strides') : null,
      padding: c.str<Padding>('padding', 'valid') };
  }
}

export class MaxPooling2D extends Pooling2D {
  constructor(args: Pooling2DArgs = {}) {
    super('MaxPooling2D', args);
  }

  static fromConfig(c: KerasConfig): MaxPooling2D {
    return new MaxPooling2D(Pooling2D.argsFrom(c));
  }

  call(x: Tensor, _context: CallContext): Tensor {
    return maxPool2d(x, this.poolOptions);
  }
}

export class AveragePooling2D extends Pooling2D {
  constructor(args: Pooling2DArgs = {}) {
    super('AveragePooling2D', args);
  }

  static fromConfig(c: KerasConfig): AveragePooling2D {
    return new AveragePooling2D(Pooling2D.argsFrom(c));
  }

  call(x: Tensor, _context: CallContext): Tensor {
    return averagePool2d(x, this.poolOptions);
  }
}
