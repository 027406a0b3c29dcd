import { generalRelu, leakyRelu } from '../ops/more-activations.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CallContext, Layer, type LayerArgs, type LayerConfig, type LayerShape } from '../models/layer.js';
import type { KerasConfig } from './config-reader.js';

export interface ReLUArgs extends LayerArgs {
  /** Upper bound: 6 makes MobileNet's ReLU6; default none. */
  maxValue?: number | null;
  /** Slope below the threshold; default 0. */
  negativeSlope?: number;
  /** Where the slope changes; default 0. */
  threshold?: number;
}

/** Keras's ReLU layer: min(max(x, threshold), maxValue), with negativeSlope·(x − threshold) below the threshold. */
export class ReLU extends Layer {
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(args: ReLUArgs = {}) {
    super('ReLU', args);
    this.maxValue = args.maxValue ?? null;
    this.negativeSlope = args.negativeSlope ?? 0;
    this.threshold = args.threshold ?? 0;
    if (this.maxValue !== null && !(this.maxValue >= 0)) throw new Error(`${this.name}: maxValue must be ≥ 0, got ${this.maxValue}`);
    if (!(this.negativeSlope >= 0)) throw new Error(`${this.name}: negativeSlope must be ≥ 0, got ${this.negativeSlope}`);
  }

  call(x: Tensor, _context: CallContext): Tensor {
    return generalRelu(x, { maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold });
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  protected layerConfig(): LayerConfig {
    return { max_value: this.maxValue, negative_slope: this.negativeSlope, threshold: this.threshold };
  }

  static fromConfig(c: KerasConfig): ReLU {
    return new ReLU({ ...c.layerArgs(), maxValue: c.numOrNull('max_value'), negativeSlope: c.num('negative_slope', 0),
      threshold: c.num('threshold', 0) });
  }
}

export interface LeakyReLUArgs extends LayerArgs {
  /** Slope below 0; default 0.3 (Keras's). */
  negativeSlope?: number;
}

/** x for x ≥ 0, negativeSlope·x below, as Keras's LeakyReLU. */
export class LeakyReLU extends Layer {
  readonly negativeSlope: number;

  constructor(args: LeakyReLUArgs = {}) {
    super('LeakyReLU', args);
    this.negativeSlope = args.negativeSlope ?? 0.3;
    if (!(this.negativeSlope >= 0)) throw new Error(`${this.name}: negativeSlope must be ≥ 0, got ${this.negativeSlope}`);
  }

  call(x: Tensor, _context: CallContext): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  protected layerConfig(): LayerConfig {
    return { negative_slope: this.negativeSlope };
  }

  /** Keras 3 writes negative_slope; Keras 2 wrote alpha. */
  static fromConfig(c: KerasConfig): LeakyReLU {
    return new LeakyReLU({ ...c.layerArgs(), negativeSlope: c.has('alpha') ? c.num('alpha') : c.num('negative_slope', 0.3) });
  }
}
