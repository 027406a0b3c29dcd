import type { Variable } from '../models/variable.js';
import type { Tensor } from '../tensor/tensor.js';
import { LearningRateSchedule } from './schedules.js';

export interface OptimizerArgs {
  /** A fixed rate, or a schedule of the step count (schedules.exponentialDecay, …). */
  learningRate?: number | LearningRateSchedule;
  /** Keras-1/R alias of learningRate. */
  lr?: number | LearningRateSchedule;
  /** Time decay: lr_t = lr / (1 + decay · iterations). */
  decay?: number;
}

/**
 * A numeric optimizer setting, checked where it is given: a learning rate of '0.001' (a string)
 * would otherwise pass JS's loose comparisons and fail only inside the first native update.
 */
export function setting(value: unknown, fallback: number, name: string, where: string,
  ok: (v: number) => boolean, expected: string): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !ok(v)) {
    throw new Error(`${where}: ${name} must be ${expected}, got ${typeof v === 'string' ? `'${v}' (a string)` : String(v)}`);
  }
  return v;
}

const positive = (v: number): boolean => v > 0 && Number.isFinite(v);
/** For momentum, ρ and the β's: a fraction of the previous value kept. */
export const fraction = (v: number): boolean => v >= 0 && v < 1;
export const nonNegative = (v: number): boolean => v >= 0 && Number.isFinite(v);

/**
 * Keras-style optimizer: per-weight slots created at the first update, weights updated in place
 * by the backend's fused kernels. `iterations` counts applied steps, as Keras's does.
 */
export abstract class Optimizer {
  abstract readonly className: string;
  /** The schedule given as learning rate, or null for a fixed rate. */
  readonly schedule: LearningRateSchedule | null;
  readonly decay: number;
  iterations = 0;
  private rate: number;
  private readonly slotsByWeight = new Map<Variable, Float32Array[]>();

  constructor(args: OptimizerArgs, defaultLearningRate: number) {
    const where = new.target.name;
    const given = args.learningRate ?? args.lr;
    this.schedule = given instanceof LearningRateSchedule ? given : null;
    this.rate = this.schedule ? NaN : setting(given, defaultLearningRate, 'learningRate', where, positive, 'a positive number');
    this.decay = setting(args.decay, 0, 'decay', where, nonNegative, 'a number >= 0');
  }

  /**
   * The rate of the next update before time decay: the fixed rate, or the schedule's value at
   * the current step. Callbacks such as reduceLROnPlateau set it; a scheduled one cannot be set.
   */
  get learningRate(): number {
    if (!this.schedule) return this.rate;
    const v = this.schedule.rateAt(this.iterations);
    if (!(v >= 0) || !Number.isFinite(v)) {
      throw new Error(`${this.className}: learning-rate schedule ${this.schedule.className} gave ${v} at step ${this.iterations}; expected a finite rate >= 0`);
    }
    return v;
  }

  set learningRate(value: number) {
    if (this.schedule) {
      throw new Error(`${this.className}: the learning rate follows the ${this.schedule.className} schedule given at construction and cannot be set`);
    }
    this.rate = setting(value, NaN, 'learningRate', this.className, positive, 'a positive number');
  }

  /** Number of state arrays per weight (momentum, mean square, …). */
  protected abstract readonly slotCount: number;

  protected abstract update(weight: Float32Array, grad: Float32Array, slots: Float32Array[], lr: number): void;

  /** Keras config keys (lr, rho, beta_1, …) for HDF5 training_config. */
  abstract getConfig(): Record<string, unknown>;

  /**
   * The rate's config entry under `key` (K22's `lr`): a number, or for a schedule its Keras 3
   * serialisation, which tf.keras 2 and Keras 3 read under `learning_rate`.
   */
  protected rateConfig(key: 'lr' | 'learning_rate' = 'lr'): Record<string, unknown> {
    if (!this.schedule) return { [key]: this.rate };
    return { learning_rate: { module: 'keras.optimizers.schedules', class_name: this.schedule.className,
      config: this.schedule.getConfig(), registered_name: null } };
  }

  protected currentLearningRate(): number {
    const lr = this.learningRate;
    return this.decay > 0 ? lr / (1 + this.decay * this.iterations) : lr;
  }

  /** One step: w ← update(w, g) for each weight, in place. */
  applyGradients(weights: readonly Variable[], grads: readonly Tensor[]): void {
    const lr = this.currentLearningRate();
    this.iterations++;
    weights.forEach((w, i) => this.update(w.value.f32, grads[i]!.f32, this.slotsFor(w), lr));
  }

  private slotsFor(w: Variable): Float32Array[] {
    let slots = this.slotsByWeight.get(w);
    if (!slots) {
      slots = Array.from({ length: this.slotCount }, () => new Float32Array(w.value.size));
      this.slotsByWeight.set(w, slots);
    }
    return slots;
  }

  /** Every slot array of `weights`, slot kind by slot kind (Keras's weight order after iterations). */
  getSlots(weights: readonly Variable[]): Float32Array[] {
    const perWeight = weights.map((w) => this.slotsFor(w));
    return Array.from({ length: this.slotCount }, (_, k) => perWeight.map((s) => s[k]!)).flat();
  }

  /** Restores slots saved by getSlots (same weights, same order). */
  setSlots(weights: readonly Variable[], values: readonly Float32Array[]): void {
    const expected = weights.length * this.slotCount;
    if (values.length !== expected) {
      throw new Error(`${this.className}: expected ${expected} slot arrays for ${weights.length} weights, got ${values.length}`);
    }
    const slots = this.getSlots(weights);
    slots.forEach((s, i) => {
      if (values[i]!.length !== s.length) throw new Error(`${this.className}: slot ${i} has ${values[i]!.length} values, expected ${s.length}`);
      s.set(values[i]!);
    });
  }
}
