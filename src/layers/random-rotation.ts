import type { Random } from '../tensor/random.js';
import type { LayerConfig } from '../models/layer.js';
import type { KerasConfig } from './config-reader.js';
import { configFactor, type Factor, factorRange, RandomAffine, type RandomAffineArgs } from './random-layer.js';

export interface RandomRotationArgs extends RandomAffineArgs {
  /** Angle range as a fraction of a full turn: 0.1 rotates by up to ±36°. */
  factor: Factor;
}

/** Rotates each image about its centre by a random angle while training, as Keras's RandomRotation. */
export class RandomRotation extends RandomAffine {
  readonly factor: Factor;
  private readonly range: [number, number];

  constructor(args: RandomRotationArgs) {
    super('RandomRotation', args);
    this.factor = args.factor;
    this.range = factorRange(args.factor, 'factor', this.name);
  }

  protected matrix(rng: Random, h: number, w: number): number[] {
    const angle = 2 * Math.PI * rng.uniform(...this.range);
    const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
    const [cx, cy] = [(w - 1) / 2, (h - 1) / 2];
    return [cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy];
  }

  protected layerConfig(): LayerConfig {
    return { factor: this.factor, ...this.warpConfig() };
  }

  static fromConfig(c: KerasConfig): RandomRotation {
    return new RandomRotation({ ...RandomAffine.warpArgs(c), factor: configFactor(c, 'factor') });
  }
}
