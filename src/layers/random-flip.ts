import type { Random } from '../tensor/random.js';
import type { LayerConfig } from '../models/layer.js';
import type { KerasConfig } from './config-reader.js';
import { RandomAffine, type RandomLayerArgs } from './random-layer.js';

export type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';

export interface RandomFlipArgs extends RandomLayerArgs {
  /** Which flips may happen, each with probability 1/2; default 'horizontal_and_vertical'. */
  mode?: FlipMode;
}

/** Flips each image left–right and/or upside down at random while training, as Keras's RandomFlip. */
export class RandomFlip extends RandomAffine {
  readonly mode: FlipMode;

  constructor(args: RandomFlipArgs = {}) {
    super('RandomFlip', { ...args, interpolation: 'nearest' });
    this.mode = args.mode ?? 'horizontal_and_vertical';
    if (!['horizontal', 'vertical', 'horizontal_and_vertical'].includes(this.mode)) {
      throw new Error(`${this.name}: mode must be 'horizontal', 'vertical' or 'horizontal_and_vertical', got '${this.mode}'`);
    }
  }

  protected matrix(rng: Random, h: number, w: number): number[] {
    const across = this.mode !== 'vertical' && rng.next() < 0.5;
    const down = this.mode !== 'horizontal' && rng.next() < 0.5;
    return [across ? -1 : 1, 0, across ? w - 1 : 0, 0, down ? -1 : 1, down ? h - 1 : 0];
  }

  protected layerConfig(): LayerConfig {
    return { seed: this.seed, mode: this.mode, data_format: 'channels_last' };
  }

  static fromConfig(c: KerasConfig): RandomFlip {
    c.channelsLast();
    return new RandomFlip({ ...c.layerArgs(), mode: c.str<FlipMode>('mode', 'horizontal_and_vertical'),
      ...(c.has('seed') ? { seed: c.num('seed') } : {}) });
  }
}
