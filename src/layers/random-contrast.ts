import { add, maximum, minimum, mul, sub } from '../ops/arithmetic.js';
import { mean } from '../ops/reduce.js';
import type { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import type { LayerConfig } from '../models/layer.js';
import type { KerasConfig } from './config-reader.js';
import { configFactor, type Factor, RandomLayer, type RandomLayerArgs } from './random-layer.js';

export interface RandomContrastArgs extends RandomLayerArgs {
  /** Contrast factors are drawn from [1 − lower, 1 + upper]; `f` means [1 − f, 1 + f]. */
  factor: Factor;
  /** The pixels' range, which outputs are clipped to; default [0, 255]. */
  valueRange?: [number, number];
}

/**
 * Scales each image's deviation from its per-channel mean by a random factor while training,
 * then clips to the value range, as Keras 3's RandomContrast.
 */
export class RandomContrast extends RandomLayer {
  readonly factor: Factor;
  readonly valueRange: [number, number];
  private readonly range: [number, number];

  constructor(args: RandomContrastArgs) {
    super('RandomContrast', args);
    this.factor = args.factor;
    const [lower, upper] = typeof args.factor === 'number' ? [args.factor, args.factor] : args.factor;
    if (!(lower >= 0 && lower <= 1 && upper >= 0)) {
      throw new Error(`${this.name}: factor must be f or [lower, upper] with 0 ≤ lower ≤ 1 and upper ≥ 0, got ${JSON.stringify(args.factor)}`);
    }
    this.range = [1 - lower, 1 + upper];
    this.valueRange = args.valueRange ?? [0, 255];
  }

  protected augment(x: Tensor, rng: Random): Tensor {
    const batch = x.shape[0]!;
    const factors = new Tensor(Float32Array.from({ length: batch }, () => rng.uniform(...this.range)), [batch, 1, 1, 1]);
    const centre = mean(x, [1, 2], true);
    const y = add(mul(sub(x, centre), factors), centre);
    return minimum(maximum(y, this.valueRange[0]), this.valueRange[1]);
  }

  protected layerConfig(): LayerConfig {
    return { factor: this.factor, value_range: this.valueRange, seed: this.seed };
  }

  static fromConfig(c: KerasConfig): RandomContrast {
    return new RandomContrast({ ...c.layerArgs(), factor: configFactor(c, 'factor'),
      valueRange: c.has('value_range') ? c.pair('value_range') : [0, 255], ...(c.has('seed') ? { seed: c.num('seed') } : {}) });
  }
}
