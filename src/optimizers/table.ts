import { Adam, type AdamArgs } from './adam.js';
import { AdamW, type AdamWArgs } from './adamw.js';
import type { OptimizerName } from './names.js';
import type { Optimizer, OptimizerArgs } from './optimizer.js';
import { RMSprop, type RmspropArgs } from './rmsprop.js';
import { LearningRateSchedule, scheduleFromConfig } from './schedules.js';
import { SGD, type SgdArgs } from './sgd.js';

/** How Keras 2.2.4 lays an optimizer's state out in `/optimizer_weights` (io/optimizer-weights.ts). */
export interface H5Layout {
  /** The step count comes first (`Adam/iterations:0`); K22's RMSprop does not save it. */
  stepCount: boolean;
  /**
   * Arrays K22 writes per weight beyond the state deeptype keeps: `zeros` shaped like the weights
   * when the optimizer keeps none (SGD without momentum), `scalars` of shape (1,) always (Adam's
   * vhat without amsgrad). deeptype writes them so Keras reads its files, and skips them on reading.
   */
  placeholders: 'zeros' | 'scalars' | null;
}

/** Reads an optimizer's Keras config (K22 `lr`, tf.keras and Keras 3 `learning_rate`, numbers or a schedule). */
export class ConfigReader {
  constructor(readonly config: Record<string, unknown>, readonly where: string) {}

  number(key: string, fallback: number): number {
    const v = this.config[key] ?? fallback;
    // Keras 1 and some tf.keras versions store epsilon as null, meaning the backend default.
    if (v === null && key === 'epsilon') return fallback;
    if (typeof v !== 'number') throw new Error(`${this.where}: optimizer setting '${key}' should be a number, got ${JSON.stringify(v)}`);
    return v;
  }

  rate(): { learningRate: number | LearningRateSchedule; decay: number } {
    const key = this.config.learning_rate !== undefined ? 'learning_rate' : 'lr';
    const value = this.config[key];
    const learningRate = typeof value === 'object' && value !== null
      ? scheduleFromConfig(value as { class_name?: unknown; config?: unknown }, this.where) : this.number(key, 0.001);
    return { learningRate, decay: this.number('decay', 0) };
  }
}

interface OptimizerEntry<T extends Optimizer, A extends OptimizerArgs> {
  /** Keras's class name, as training_config saves it. */
  className: string;
  create: (args?: A) => T;
  fromConfig: (c: ConfigReader) => T;
  h5: H5Layout;
}

const entry = <T extends Optimizer, A extends OptimizerArgs>(e: OptimizerEntry<T, A>): OptimizerEntry<T, A> => e;

/**
 * Every optimizer, once: compile's names, `optimizers.*`, training_config both ways, the HDF5
 * state layout and the CLI's `--optimizer` all read this table.
 */
export const OPTIMIZER_TABLE = {
  rmsprop: entry({
    className: 'RMSprop',
    create: (args?: RmspropArgs) => new RMSprop(args),
    fromConfig: (c) => new RMSprop({ ...c.rate(), rho: c.number('rho', 0.9), epsilon: c.number('epsilon', 1e-7) }),
    h5: { stepCount: false, placeholders: null },
  }),
  adam: entry({
    className: 'Adam',
    create: (args?: AdamArgs) => new Adam(args),
    fromConfig: (c) => {
      if (c.config.amsgrad === true) throw new Error(`${c.where}: Adam with amsgrad is not supported`);
      return new Adam({ ...c.rate(), beta1: c.number('beta_1', 0.9), beta2: c.number('beta_2', 0.999), epsilon: c.number('epsilon', 1e-7) });
    },
    h5: { stepCount: true, placeholders: 'scalars' },
  }),
  adamW: entry({
    className: 'AdamW',
    create: (args?: AdamWArgs) => new AdamW(args),
    fromConfig: (c) => {
      if (c.config.amsgrad === true) throw new Error(`${c.where}: AdamW with amsgrad is not supported`);
      return new AdamW({ learningRate: c.rate().learningRate, weightDecay: c.number('weight_decay', 0.004), beta1: c.number('beta_1', 0.9),
        beta2: c.number('beta_2', 0.999), epsilon: c.number('epsilon', 1e-7) });
    },
    h5: { stepCount: true, placeholders: 'scalars' },
  }),
  sgd: entry({
    className: 'SGD',
    create: (args?: SgdArgs) => new SGD(args),
    fromConfig: (c) => new SGD({ ...c.rate(), momentum: c.number('momentum', 0), nesterov: c.config.nesterov === true }),
    h5: { stepCount: true, placeholders: 'zeros' },
  }),
} satisfies Record<OptimizerName, OptimizerEntry<Optimizer, never>>;

type Table = typeof OPTIMIZER_TABLE;

/** The HDF5 state layout of an optimizer object; one of the user's own saves its step count and slots. */
export function h5LayoutOf(optimizer: Optimizer): H5Layout {
  return Object.values(OPTIMIZER_TABLE).find((e) => e.className === optimizer.className)?.h5 ?? { stepCount: true, placeholders: null };
}

/**
 * The optimizer a saved `optimizer_config` describes. Keras 3 gives every optimizer a
 * `weight_decay`; only AdamW's is kept, so any other optimizer with one is refused rather than
 * trained differently.
 */
export function optimizerFromConfig(className: unknown, config: Record<string, unknown>, where: string): Optimizer {
  const found = typeof className === 'string'
    ? Object.values(OPTIMIZER_TABLE).find((e) => e.className.toLowerCase() === className.toLowerCase()) : undefined;
  if (!found) {
    const known = Object.values(OPTIMIZER_TABLE).map((e) => e.className).join(', ');
    throw new Error(`${where}: optimizer ${JSON.stringify(className)} is not supported (expected ${known})`);
  }
  const weightDecay = config.weight_decay;
  if (found.className !== 'AdamW' && weightDecay !== undefined && weightDecay !== null && weightDecay !== 0) {
    throw new Error(`${where} ${found.className}: weight_decay ${JSON.stringify(weightDecay)} is only supported by AdamW`);
  }
  return found.fromConfig(new ConfigReader(config, `${where} ${found.className}`));
}

/** Factories with Keras's names: `optimizers.rmsprop({ learningRate: 1e-4 })`, `optimizers.adamW()`. */
export const optimizers = Object.fromEntries(Object.entries(OPTIMIZER_TABLE).map(([name, e]) => [name, e.create])) as
  { [K in OptimizerName]: Table[K]['create'] };
