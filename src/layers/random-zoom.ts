import type { Random } from '../tensor/random.js';
import type { LayerConfig } from '../models/layer.js';
import type { KerasConfig } from './config-reader.js';
import { configFactor, type Factor, factorRange, RandomAffine, type RandomAffineArgs } from './random-layer.js';

export interface RandomZoomArgs extends RandomAffineArgs {
  /** Vertical zoom range as a fraction: 0.2 zooms by 1 ± 0.2; positive values zoom out. */
  heightFactor: Factor;
  /** Horizontal range; default null: the vertical zoom, keeping the aspect ratio. */
  widthFactor?: Factor | null;
}

/** Zooms each image in or out about its centre by a random factor while training, as Keras's RandomZoom. */
export class RandomZoom extends RandomAffine {
  readonly heightFactor: Factor;
  readonly widthFactor: Factor | null;
  private readonly heights: [number, number];
  private readonly widths: [number, number] | null;

  constructor(args: RandomZoomArgs) {
    super('RandomZoom', args);
    this.heightFactor = args.heightFactor;
    this.widthFactor = args.widthFactor ?? null;
    this.heights = factorRange(args.heightFactor, 'heightFactor', this.name);
    this.widths = this.widthFactor === null ? null : factorRange(this.widthFactor, 'widthFactor', this.name);
  }

  protected matrix(rng: Random, h: number, w: number): number[] {
    const zy = 1 + rng.uniform(...this.heights);
    const zx = this.widths ? 1 + rng.uniform(...this.widths) : zy;
    return [zx, 0, ((w - 1) / 2) * (1 - zx), 0, zy, ((h - 1) / 2) * (1 - zy)];
  }

  protected layerConfig(): LayerConfig {
    return { height_factor: this.heightFactor, width_factor: this.widthFactor, ...this.warpConfig() };
  }

  static fromConfig(c: KerasConfig): RandomZoom {
    return new RandomZoom({ ...RandomAffine.warpArgs(c), heightFactor: configFactor(c, 'height_factor'),
      widthFactor: c.has('width_factor') ? configFactor(c, 'width_factor') : null });
  }
}
