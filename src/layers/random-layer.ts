import { affineWarp, type WarpFillMode, type WarpInterpolation } from '../ops/affine-warp.js';
import { globalRng, Random } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CallContext, Layer, type LayerArgs, type LayerConfig, type LayerShape } from '../models/layer.js';
import type { KerasConfig } from './config-reader.js';

export interface RandomLayerArgs extends LayerArgs {
  /** Seed of this layer's draws; default: drawn from the global generator at first use (see setSeed). */
  seed?: number;
}

/** Keras's factor: `f` means [−f, f], a pair is [lower, upper]. */
export type Factor = number | [number, number];

export function factorRange(value: Factor, name: string, where: string): [number, number] {
  const [lower, upper] = typeof value === 'number' ? [-Math.abs(value), Math.abs(value)] : value;
  if (!Number.isFinite(lower) || !Number.isFinite(upper) || lower! > upper!) {
    throw new Error(`${where}: ${name} must be a number or a [lower, upper] pair with lower ≤ upper, got ${JSON.stringify(value)}`);
  }
  return [lower!, upper!];
}

/** A factor as read from a Keras config: a number or a two-element list. */
export function configFactor(c: KerasConfig, key: string): Factor {
  return typeof c.config[key] === 'number' ? c.num(key) : c.pair(key);
}

/**
 * A preprocessing layer that augments images while training and passes them through unchanged
 * otherwise, as Keras's random image layers. Its generator is drawn at first use, so setSeed
 * before fit makes the augmentation repeatable.
 */
export abstract class RandomLayer extends Layer {
  readonly seed: number | null;
  private rng: Random | null = null;

  constructor(className: string, args: RandomLayerArgs) {
    super(className, args);
    this.seed = args.seed ?? null;
  }

  call(x: Tensor, context: CallContext): Tensor {
    if (!context.training) return x;
    if (x.rank !== 4) throw new Error(`${this.name} (${this.className}): expected images (batch, height, width, channels), got rank ${x.rank}`);
    this.rng ??= this.seed === null ? globalRng().fork() : new Random(this.seed);
    return this.augment(x, this.rng);
  }

  /** The training-time transformation of a batch of NHWC images. */
  protected abstract augment(x: Tensor, rng: Random): Tensor;

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }
}

export interface RandomAffineArgs extends RandomLayerArgs {
  /** Default 'reflect', as Keras. */
  fillMode?: WarpFillMode;
  /** Default 'bilinear'. */
  interpolation?: WarpInterpolation;
  /** The value outside the image in 'constant' mode; default 0. */
  fillValue?: number;
}

/** A random layer that moves pixels: one affine map per image, drawn by `matrix`. */
export abstract class RandomAffine extends RandomLayer {
  readonly fillMode: WarpFillMode;
  readonly interpolation: WarpInterpolation;
  readonly fillValue: number;

  constructor(className: string, args: RandomAffineArgs) {
    super(className, args);
    this.fillMode = args.fillMode ?? 'reflect';
    if (!['reflect', 'wrap', 'constant', 'nearest'].includes(this.fillMode)) {
      throw new Error(`${this.name}: fillMode must be 'reflect', 'wrap', 'constant' or 'nearest', got '${this.fillMode}'`);
    }
    this.interpolation = args.interpolation ?? 'bilinear';
    if (!['bilinear', 'nearest'].includes(this.interpolation)) {
      throw new Error(`${this.name}: interpolation must be 'bilinear' or 'nearest', got '${this.interpolation}'`);
    }
    this.fillValue = args.fillValue ?? 0;
  }

  /** The map of one h×w image: output (x, y) reads the input at (m0·x + m1·y + m2, m3·x + m4·y + m5). */
  protected abstract matrix(rng: Random, h: number, w: number): number[];

  protected augment(x: Tensor, rng: Random): Tensor {
    const [batch, h, w] = x.shape as [number, number, number];
    const matrices = new Float64Array(6 * batch);
    for (let b = 0; b < batch; b++) matrices.set(this.matrix(rng, h, w), 6 * b);
    return affineWarp(x, matrices, { fillMode: this.fillMode, interpolation: this.interpolation, fillValue: this.fillValue });
  }

  protected warpConfig(): LayerConfig {
    return { fill_mode: this.fillMode, interpolation: this.interpolation, seed: this.seed, fill_value: this.fillValue,
      data_format: 'channels_last' };
  }

  /** The arguments every random affine layer reads from its Keras config. */
  protected static warpArgs(c: KerasConfig): RandomAffineArgs {
    c.channelsLast();
    return { ...c.layerArgs(), fillMode: c.str<WarpFillMode>('fill_mode', 'reflect'),
      interpolation: c.str<WarpInterpolation>('interpolation', 'bilinear'), fillValue: c.num('fill_value', 0),
      ...(c.has('seed') ? { seed: c.num('seed') } : {}) };
  }
}
