import { dropout } from '../ops/dropout.js';
import { globalRng, Random } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CallContext, Layer, type LayerArgs, type LayerConfig, type LayerShape } from '../models/layer.js';
import type { KerasConfig } from './config-reader.js';

export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1). */
  rate: number;
  /** Seed for this layer's masks; default: drawn from the global generator (see setSeed). */
  seed?: number;
}

/** Inverted dropout during training (kept values scaled by 1/(1 − rate)); identity otherwise. */
export class Dropout extends Layer {
  readonly rate: number;
  readonly seed: number | null;
  private rng: Random | null = null;

  constructor(args: DropoutArgs) {
    super('Dropout', args);
    if (!(args.rate >= 0 && args.rate < 1)) throw new Error(`${this.name}: rate must be in [0, 1), got ${args.rate}`);
    this.rate = args.rate;
    this.seed = args.seed ?? null;
  }

  call(x: Tensor, context: CallContext): Tensor {
    if (!context.training) return x;
    // Drawn at first use, so setSeed before fit makes the masks repeatable.
    this.rng ??= this.seed === null ? globalRng().fork() : new Random(this.seed);
    return dropout(x, this.rate, this.rng);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  protected layerConfig(): LayerConfig {
    return { rate: this.rate, noise_shape: null, seed: this.seed };
  }

  static fromConfig(c: KerasConfig): Dropout {
    c.nulls(['noise_shape']);
    return new Dropout({ ...c.layerArgs(), rate: c.num('rate'), ...(c.has('seed') ? { seed: c.num('seed') } : {}) });
  }
}
