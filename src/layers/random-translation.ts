import type { Random } from '../tensor/random.js';
import type { LayerConfig } from '../models/layer.js';
import type { KerasConfig } from './config-reader.js';
import { configFactor, type Factor, factorRange, RandomAffine, type RandomAffineArgs } from './random-layer.js';

export interface RandomTranslationArgs extends RandomAffineArgs {
  /** Vertical shift range as a fraction of the height: 0.2 shifts by up to ±20%. */
  heightFactor: Factor;
  /** Horizontal shift range as a fraction of the width. */
  widthFactor: Factor;
}

/** Shifts each image by a random offset while training, as Keras's RandomTranslation. */
export class RandomTranslation extends RandomAffine {
  readonly heightFactor: Factor;
  readonly widthFactor: Factor;
  private readonly heights: [number, number];
  private readonly widths: [number, number];

  constructor(args: RandomTranslationArgs) {
    super('RandomTranslation', args);
    this.heightFactor = args.heightFactor;
    this.widthFactor = args.widthFactor;
    this.heights = factorRange(args.heightFactor, 'heightFactor', this.name);
    this.widths = factorRange(args.widthFactor, 'widthFactor', this.name);
  }

  protected matrix(rng: Random, h: number, w: number): number[] {
    const dy = rng.uniform(...this.heights) * h;
    const dx = rng.uniform(...this.widths) * w;
    return [1, 0, -dx, 0, 1, -dy];
  }

  protected layerConfig(): LayerConfig {
    return { height_factor: this.heightFactor, width_factor: this.widthFactor, ...this.warpConfig() };
  }

  static fromConfig(c: KerasConfig): RandomTranslation {
    return new RandomTranslation({ ...RandomAffine.warpArgs(c), heightFactor: configFactor(c, 'height_factor'),
      widthFactor: configFactor(c, 'width_factor') });
  }
}
