import { noGrad } from '../autograd/tape.js';
import { add, div, mul, sub } from '../ops/arithmetic.js';
import { mean } from '../ops/reduce.js';
import { reshape } from '../ops/shape.js';
import { sqrt, square } from '../ops/unary.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkInitializer, type InitializerName } from '../models/initializers.js';
import { type CallContext, Layer, type LayerArgs, type LayerConfig, type LayerShape } from '../models/layer.js';
import type { Variable } from '../models/variable.js';
import type { KerasConfig } from './config-reader.js';
import { initializerToKeras, nullEntries } from './keras-names.js';

export interface BatchNormalizationArgs extends LayerArgs {
  /** The features axis, normalised separately; default -1 (channels last). */
  axis?: number;
  /** Weight of the old value in the moving averages; default 0.99. */
  momentum?: number;
  /** Added to the variance before its square root; default 1e-3. */
  epsilon?: number;
  /** Learn an offset beta; default true. */
  center?: boolean;
  /** Learn a scale gamma; default true. */
  scale?: boolean;
  betaInitializer?: string;
  gammaInitializer?: string;
  movingMeanInitializer?: string;
  movingVarianceInitializer?: string;
}

const NULL_KEYS = ['beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint'];

/**
 * Normalises each feature (channel) to zero mean and unit variance, then scales by gamma and
 * shifts by beta, as Keras's BatchNormalization. Training uses the batch's statistics (biased
 * variance) and moves the moving statistics towards them; inference, and a frozen layer or model
 * even while training, uses the moving statistics.
 */
export class BatchNormalization extends Layer {
  static override readonly initializerKeys = ['beta_initializer', 'gamma_initializer', 'moving_mean_initializer', 'moving_variance_initializer'];
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private readonly initializers: Record<'beta' | 'gamma' | 'movingMean' | 'movingVariance', InitializerName>;
  private gamma: Variable | null = null;
  private beta: Variable | null = null;
  private movingMean!: Variable;
  private movingVariance!: Variable;
  /** The input shape with 1 everywhere but the features axis, for broadcasting per-feature values. */
  private featureShape: number[] = [];
  /** The axes the batch statistics are taken over: all but the features axis. */
  private reduceAxes: number[] = [];

  constructor(args: BatchNormalizationArgs = {}) {
    super('BatchNormalization', args);
    this.axis = args.axis ?? -1;
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new Error(`${this.name}: momentum must be in [0, 1], got ${this.momentum}`);
    if (!(this.epsilon > 0)) throw new Error(`${this.name}: epsilon must be positive, got ${this.epsilon}`);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.initializers = {
      beta: checkInitializer(args.betaInitializer ?? 'zeros', this.name),
      gamma: checkInitializer(args.gammaInitializer ?? 'ones', this.name),
      movingMean: checkInitializer(args.movingMeanInitializer ?? 'zeros', this.name),
      movingVariance: checkInitializer(args.movingVarianceInitializer ?? 'ones', this.name),
    };
  }

  protected override build(inputShape: LayerShape): void {
    const axis = normalizeAxis(this.axis, inputShape.length, this.name);
    const features = inputShape[axis];
    if (axis === 0 || !features) {
      throw new Error(`${this.name} (BatchNormalization): axis ${this.axis} of input ${JSON.stringify(inputShape)} must be a known, non-batch axis`);
    }
    this.featureShape = inputShape.map((_, i) => (i === axis ? features : 1));
    this.reduceAxes = inputShape.flatMap((_, i) => (i === axis ? [] : [i]));
    // Keras's order, which is also the HDF5 order: gamma, beta, moving_mean, moving_variance.
    if (this.scale) this.gamma = this.addWeight('gamma', [features], this.initializers.gamma);
    if (this.center) this.beta = this.addWeight('beta', [features], this.initializers.beta);
    this.movingMean = this.addWeight('moving_mean', [features], this.initializers.movingMean, false);
    this.movingVariance = this.addWeight('moving_variance', [features], this.initializers.movingVariance, false);
  }

  /** Whether a call in `context` normalises with the moving statistics. */
  usesMovingStatistics(context: CallContext): boolean {
    return !context.training || context.frozen === true || !this.trainable;
  }

  call(x: Tensor, context: CallContext): Tensor {
    if (this.usesMovingStatistics(context)) {
      const { scale, offset } = this.affine();
      return add(mul(x, scale), offset);
    }
    const batchMean = mean(x, this.reduceAxes, true);
    const centered = sub(x, batchMean);
    const variance = mean(square(centered), this.reduceAxes, true);
    noGrad(() => {
      this.moveTowards(this.movingMean, batchMean);
      this.moveTowards(this.movingVariance, variance);
    });
    let y = div(centered, sqrt(add(variance, this.epsilon)));
    if (this.gamma) y = mul(y, this.perFeature(this.gamma));
    return this.beta ? add(y, this.perFeature(this.beta)) : y;
  }

  /**
   * Inference as y = x·scale + offset, per feature: scale = gamma / √(moving_variance + ε),
   * offset = beta − moving_mean·scale. Recorded, so gamma and beta still get gradients; a
   * convolution before this layer folds them into its kernel and bias (models/fusion.ts).
   */
  affine(): { scale: Tensor; offset: Tensor } {
    let scale = div(1, sqrt(add(this.perFeature(this.movingVariance), this.epsilon)));
    if (this.gamma) scale = mul(scale, this.perFeature(this.gamma));
    const shift = mul(this.perFeature(this.movingMean), scale);
    return { scale, offset: this.beta ? sub(this.perFeature(this.beta), shift) : mul(shift, -1) };
  }

  private perFeature(v: Variable): Tensor {
    return reshape(v.value, this.featureShape);
  }

  private moveTowards(moving: Variable, batch: Tensor): void {
    const m = moving.value.f32;
    const b = batch.f32;
    for (let i = 0; i < m.length; i++) m[i] = m[i]! * this.momentum + b[i]! * (1 - this.momentum);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  protected layerConfig(): LayerConfig {
    return {
      axis: this.axis, momentum: this.momentum, epsilon: this.epsilon, center: this.center, scale: this.scale,
      beta_initializer: initializerToKeras(this.initializers.beta), gamma_initializer: initializerToKeras(this.initializers.gamma),
      moving_mean_initializer: initializerToKeras(this.initializers.movingMean),
      moving_variance_initializer: initializerToKeras(this.initializers.movingVariance),
      ...nullEntries(NULL_KEYS),
    };
  }

  static fromConfig(c: KerasConfig): BatchNormalization {
    c.nulls(NULL_KEYS);
    c.oneOf('synchronized', [undefined, false]);
    c.oneOf('renorm', [undefined, false]);
    // tf.keras 2 writes the axis as a one-element list.
    const axis = Array.isArray(c.config.axis) && c.config.axis.length === 1 ? c.config.axis[0] as number : c.num('axis', -1);
    return new BatchNormalization({ ...c.layerArgs(), axis, momentum: c.num('momentum', 0.99), epsilon: c.num('epsilon', 1e-3),
      center: c.bool('center', true), scale: c.bool('scale', true),
      betaInitializer: c.initializer('beta_initializer', 'zeros'), gammaInitializer: c.initializer('gamma_initializer', 'ones'),
      movingMeanInitializer: c.initializer('moving_mean_initializer', 'zeros'),
      movingVarianceInitializer: c.initializer('moving_variance_initializer', 'ones') });
  }
}
