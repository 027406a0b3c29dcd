import { getProfile } from '../config.js';
import type { Model } from '../models/model.js';
import { optimizerFromConfig } from '../optimizers/index.js';
import type { CompiledState } from '../training/compile.js';
import { PythonFloat } from './python-json.js';

/**
 * K22's `training_config`. Keras 2.2.4 keeps lr, rho, momentum, beta_1, beta_2 and decay in
 * float32 backend variables, so their saved values went through float32 (lr 1e-4 is saved as
 * 9.999999747378752e-05); epsilon (and AdamW's weight_decay, as Keras 3 saves it) is a plain
 * Python float. The TF2 profile spells the rate `learning_rate`, as tf.keras does (Keras 2.2.4
 * knows only `lr`, Keras 3 only `learning_rate`).
 */
export function trainingConfig(compiled: CompiledState): Record<string, unknown> {
  const config = Object.fromEntries(Object.entries(compiled.optimizer.getConfig())
    .map(([k, v]) => [k === 'lr' && getProfile() === 'TF2' ? 'learning_rate' : k,
      typeof v === 'number' ? new PythonFloat(k === 'epsilon' || k === 'weight_decay' ? v : Math.fround(v)) : v]));
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
  const settings = (optimizerConfig?.config ?? {}) as Record<string, unknown>;
  const names = (v: unknown): boolean => typeof v === 'string' || (typeof v === 'object' && v !== null && Object.values(v).every((n) => typeof n === 'string'));
  if (!names(config.loss)) {
    throw new Error(`${where}: loss ${JSON.stringify(config.loss)} is not supported (expected a loss name, or one per output); pass { compile: false }`);
  }
  const weights = config.loss_weights ?? undefined;
  try {
    model.compile({ optimizer: optimizerFromConfig(optimizerConfig?.class_name, settings, where), loss: config.loss as string | Record<string, string>,
      lossWeights: weights as Record<string, number> | undefined, metrics: metricNames(config.metrics, where) });
  } catch (e) {
    const message = (e as Error).message;
    throw new Error(`${message.startsWith(file) ? message : `${where}: ${message}`}; pass { compile: false } to load the model without its training state`);
  }
}
