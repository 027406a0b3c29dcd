/**
 * Learning-rate schedules: a rate as a function of the optimizer's step count (the updates done
 * before this one), with Keras 3's names, formulas and configs. Pass one wherever a learning rate
 * goes: `optimizers.sgd({ learningRate: schedules.exponentialDecay({ … }) })`. Extend
 * LearningRateSchedule for a rule of your own.
 */
export abstract class LearningRateSchedule {
  abstract readonly className: string;
  /** The rate for the update that follows `step` earlier updates. */
  abstract rateAt(step: number): number;
  /** Keras's config keys, as saved in the optimizer's config. */
  abstract getConfig(): Record<string, unknown>;
}

function positive(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new Error(`${where}: ${name} must be a positive number, got ${JSON.stringify(value)}`);
  }
  return value;
}

function nonNegative(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
    throw new Error(`${where}: ${name} must be a number >= 0, got ${JSON.stringify(value)}`);
  }
  return value;
}

export interface ExponentialDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in whole steps of decaySteps; default false. */
  staircase?: boolean;
}

/** lr · decayRate^(step / decaySteps), the exponent floored when `staircase`. */
export class ExponentialDecay extends LearningRateSchedule {
  readonly className = 'ExponentialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  constructor(args: ExponentialDecayArgs) {
    super();
    const where = 'ExponentialDecay';
    this.initialLearningRate = nonNegative(args?.initialLearningRate, 'initialLearningRate', where);
    this.decaySteps = positive(args.decaySteps, 'decaySteps', where);
    this.decayRate = nonNegative(args.decayRate, 'decayRate', where);
    this.staircase = args.staircase ?? false;
  }

  rateAt(step: number): number {
    const p = step / this.decaySteps;
    return this.initialLearningRate * this.decayRate ** (this.staircase ? Math.floor(p) : p);
  }

  getConfig(): Record<string, unknown> {
    return { initial_learning_rate: this.initialLearningRate, decay_steps: this.decaySteps, decay_rate: this.decayRate,
      staircase: this.staircase, name: 'ExponentialDecay' };
  }
}

export interface CosineDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  /** The floor, as a fraction of the rate the decay starts from; default 0. */
  alpha?: number;
  /** With warmupSteps: the rate rises linearly from initialLearningRate to this, then decays. */
  warmupTarget?: number | null;
  warmupSteps?: number;
}

/**
 * Half a cosine from the start rate down to alpha times it over decaySteps, then flat; with a
 * warm-up, a linear rise to warmupTarget over warmupSteps comes first and the decay starts there.
 */
export class CosineDecay extends LearningRateSchedule {
  readonly className = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;

  constructor(args: CosineDecayArgs) {
    super();
    const where = 'CosineDecay';
    this.initialLearningRate = nonNegative(args?.initialLearningRate, 'initialLearningRate', where);
    this.decaySteps = positive(args.decaySteps, 'decaySteps', where);
    this.alpha = nonNegative(args.alpha ?? 0, 'alpha', where);
    this.warmupTarget = args.warmupTarget === undefined || args.warmupTarget === null ? null
      : nonNegative(args.warmupTarget, 'warmupTarget', where);
    this.warmupSteps = nonNegative(args.warmupSteps ?? 0, 'warmupSteps', where);
  }

  rateAt(step: number): number {
    const target = this.warmupTarget ?? this.initialLearningRate;
    if (this.warmupTarget !== null && step < this.warmupSteps) {
      return this.initialLearningRate + ((target - this.initialLearningRate) * step) / this.warmupSteps;
    }
    const done = Math.min(step - (this.warmupTarget === null ? 0 : this.warmupSteps), this.decaySteps) / this.decaySteps;
    return target * ((1 - this.alpha) * 0.5 * (1 + Math.cos(Math.PI * done)) + this.alpha);
  }

  getConfig(): Record<string, unknown> {
    return { initial_learning_rate: this.initialLearningRate, decay_steps: this.decaySteps, alpha: this.alpha,
      name: 'CosineDecay', warmup_target: this.warmupTarget, warmup_steps: this.warmupSteps };
  }
}

export interface PiecewiseConstantDecayArgs {
  /** Increasing step counts where the rate changes. */
  boundaries: number[];
  /** One more rate than boundaries: values[i] up to and including boundaries[i]. */
  values: number[];
}

/** values[0] while step ≤ boundaries[0], values[1] while step ≤ boundaries[1], …, then the last value. */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  readonly className = 'PiecewiseConstantDecay';
  readonly boundaries: readonly number[];
  readonly values: readonly number[];

  constructor(args: PiecewiseConstantDecayArgs) {
    super();
    const where = 'PiecewiseConstantDecay';
    const { boundaries, values } = args ?? {};
    if (!Array.isArray(boundaries) || !Array.isArray(values) || values.length !== boundaries.length + 1) {
      throw new Error(`${where}: expected boundaries (n numbers) and values (n + 1 rates), got ${JSON.stringify(boundaries)} and ${JSON.stringify(values)}`);
    }
    boundaries.forEach((b, i) => {
      if (typeof b !== 'number' || !Number.isFinite(b) || (i > 0 && b <= boundaries[i - 1]!)) {
        throw new Error(`${where}: boundaries must be increasing numbers, got ${JSON.stringify(boundaries)}`);
      }
    });
    values.forEach((v, i) => nonNegative(v, `values[${i}]`, where));
    this.boundaries = [...boundaries];
    this.values = [...values];
  }

  rateAt(step: number): number {
    const i = this.boundaries.findIndex((b) => step <= b);
    return this.values[i === -1 ? this.values.length - 1 : i]!;
  }

  getConfig(): Record<string, unknown> {
    return { boundaries: [...this.boundaries], values: [...this.values], name: 'PiecewiseConstant' };
  }
}

/** Keras config keys → constructor, for reading a schedule back from a file. */
const FROM_CONFIG: Record<string, (c: Record<string, unknown>) => LearningRateSchedule> = {
  ExponentialDecay: (c) => new ExponentialDecay({ initialLearningRate: c.initial_learning_rate as number,
    decaySteps: c.decay_steps as number, decayRate: c.decay_rate as number, staircase: c.staircase === true }),
  CosineDecay: (c) => new CosineDecay({ initialLearningRate: c.initial_learning_rate as number, decaySteps: c.decay_steps as number,
    alpha: (c.alpha ?? 0) as number, warmupTarget: (c.warmup_target ?? null) as number | null, warmupSteps: (c.warmup_steps ?? 0) as number }),
  PiecewiseConstantDecay: (c) => new PiecewiseConstantDecay({ boundaries: c.boundaries as number[], values: c.values as number[] }),
};

/** A schedule from `{ class_name, config }` (tf.keras 2 and Keras 3 both write that shape). */
export function scheduleFromConfig(value: { class_name?: unknown; config?: unknown }, where: string): LearningRateSchedule {
  const build = typeof value.class_name === 'string' ? FROM_CONFIG[value.class_name] : undefined;
  if (!build) {
    throw new Error(`${where}: learning-rate schedule ${JSON.stringify(value.class_name)} is not supported (expected ${Object.keys(FROM_CONFIG).join(', ')})`);
  }
  try {
    return build((value.config ?? {}) as Record<string, unknown>);
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
}

/** Factories with Keras's names: `schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 1000 })`. */
export const schedules = {
  exponentialDecay: (args: ExponentialDecayArgs): ExponentialDecay => new ExponentialDecay(args),
  cosineDecay: (args: CosineDecayArgs): CosineDecay => new CosineDecay(args),
  piecewiseConstantDecay: (args: PiecewiseConstantDecayArgs): PiecewiseConstantDecay => new PiecewiseConstantDecay(args),
};
