import type { Model } from '../models/model.js';
import { Adam, type Optimizer, RMSprop, SGD } from '../optimizers/index.js';
import type { CompiledState } from '../training/compile.js';
import { PythonFloat } from './python-json.js';

/**
 * K22's `training_config`. Keras 2.2.4 keeps lr, rho, momentum, beta_1, beta_2 and decay in
 * float32 backend variables, so their saved values went through float32 (lr 1e-4 is saved as
 * 9.999999747378752e-05); epsilon is a plain Python float.
 */
export function trainingConfig(compiled: CompiledState): Record<string, unknown> {
  const config = Object.fromEntries(Object.entries(compiled.optimizer.getConfig())
    .map(([k, v]) => [k, typeof v === 'number' ? new PythonFloat(k === 'epsilon' ? v : Math.fround(v)) : v]));
  const several = compiled.outputs.length > 1;
  return {
    optimizer_config: { class_name: compiled.optimizer.className, config },
    // Several outputs: by output name, as Keras 2 writes a dict given to compile.
    loss: several ? Object.fromEntries(compiled.outputs.map((o) => [o.name, o.lossName])) : compiled.lossName,
    metrics: compiled.metricNames,
    sample_weight_mode: null,
    loss_weights: several ? Object.fromEntries(compiled.outputs.map((o) => [o.name, new PythonFloat(o.weight)])) : null,
  };
}

const OPTIMIZER_CLASSES: Record<string, (c: Record<string, unknown>, where: string) => Optimizer> = {
  sgd: (c, where) => new SGD({ ...rate(c, where), momentum: number(c, 'momentum', where, 0), nesterov: c.nesterov === true }),
  rmsprop: (c, where) => new RMSprop({ ...rate(c, where), rho: number(c, 'rho', where, 0.9), epsilon: number(c, 'epsilon', where, 1e-7) }),
  adam: (c, where) => {
    if (c.amsgrad === true) throw new Error(`${where}: Adam with amsgrad is not supported`);
    return new Adam({ ...rate(c, where), beta1: number(c, 'beta_1', where, 0.9), beta2: number(c, 'beta_2', where, 0.999),
      epsilon: number(c, 'epsilon', where, 1e-7) });
  },
};

/** K22 says `lr`, TF2 `learning_rate`. */
function rate(c: Record<string, unknown>, where: string): { learningRate: number; decay: number } {
  const key = c.learning_rate !== undefined ? 'learning_rate' : 'lr';
  return { learningRate: number(c, key, where, 0.001), decay: number(c, 'decay', where, 0) };
}

function number(c: Record<string, unknown>, key: string, where: string, fallback: number): number {
  const v = c[key] ?? fallback;
  // Keras 1 and some tf.keras versions may store epsilon as null, meaning the backend default.
  if (v === null && key === 'epsilon') return fallback;
  if (typeof v !== 'number') throw new Error(`${where}: optimizer setting '${key}' should be a number, got ${JSON.stringify(v)}`);
  return v;
}

/** Metric names of K22 (`["acc"]`) and TF2 (`["accuracy"]`, per output lists, or metric objects). */
function metricNames(metrics: unknown, where: string): string[] {
  if (metrics === null || metrics === undefined) return [];
  const flat = (Array.isArray(metrics) ? metrics : [metrics]).flat(2);
  return flat.map((m) => {
    if (typeof m === 'string') return m;
    const name = (m as { config?: { name?: unknown } } | null)?.config?.name;
    if (typeof name === 'string') return name;
    throw new Error(`${where}: cannot read metric ${JSON.stringify(m)}`);
  });
}

/**
 * Compiles `model` as the `training_config` says: optimizer class and settings, loss, metrics.
 * A loss or metric deeptype does not know is an error that says how to load without compiling.
 */
export function compileFromTrainingConfig(model: Model, config: Record<string, unknown>, file: string): void {
  const where = `${file}: training_config`;
  const optimizerConfig = config.optimizer_config as { class_name?: unknown; config?: unknown } | undefined;
  const className = typeof optimizerConfig?.class_name === 'string' ? optimizerConfig.class_name : null;
  const build = className ? OPTIMIZER_CLASSES[className.toLowerCase()] : undefined;
  if (!build) {
    throw new Error(`${where}: optimizer ${JSON.stringify(className)} is not supported (expected SGD, RMSprop or Adam); ` +
      'pass { compile: false } to load the model without its training state');
  }
  const settings = (optimizerConfig!.config ?? {}) as Record<string, unknown>;
  const names = (v: unknown): boolean => typeof v === 'string' || (typeof v === 'object' && v !== null && Object.values(v).every((n) => typeof n === 'string'));
  if (!names(config.loss)) {
    throw new Error(`${where}: loss ${JSON.stringify(config.loss)} is not supported (expected a loss name, or one per output); pass { compile: false }`);
  }
  const weights = config.loss_weights ?? undefined;
  try {
    model.compile({ optimizer: build(settings, `${where} ${className}`), loss: config.loss as string | Record<string, string>,
      lossWeights: weights as Record<string, number> | undefined, metrics: metricNames(config.metrics, where) });
  } catch (e) {
    const message = (e as Error).message;
    throw new Error(message.startsWith(file) ? message : `${where}: ${message}; pass { compile: false } to load the model without its training state`);
  }
}
