import { LOSSES, type LossFn } from '../losses/losses.js';
import { METRICS, type MetricFn } from '../metrics/metrics.js';
import type { Model } from '../models/model.js';
import type { Variable } from '../models/variable.js';
import { Optimizer, OPTIMIZER_TABLE } from '../optimizers/index.js';
import { resolveName, toKerasName } from './names.js';

export interface CompileArgs {
  /** An optimizer object, or 'sgd' | 'rmsprop' | 'adam' | 'adamw' with Keras defaults. */
  optimizer: Optimizer | string;
  /** 'binaryCrossentropy' / 'binary_crossentropy', …, or a function (yTrue, yPred) → scalar. */
  loss: string | LossFn;
  /** 'acc' / 'accuracy' (picked to suit the loss), 'binaryAccuracy', …, or functions. */
  metrics?: (string | MetricFn)[];
}

export interface CompiledMetric {
  /** The History key: 'acc' for 'acc'/'accuracy' (K22), else the Keras snake_case name. */
  name: string;
  fn: MetricFn;
}

export interface CompiledState {
  optimizer: Optimizer;
  loss: LossFn;
  /** As saved in training_config: the Keras snake_case name. */
  lossName: string;
  metrics: CompiledMetric[];
  /** Captured at compile time, as Keras does: changing `trainable` later needs a new compile. */
  trainableWeights: Variable[];
}

function accuracyFor(lossName: string): MetricFn {
  if (lossName.includes('sparse')) return METRICS.sparseCategoricalAccuracy!;
  if (lossName.includes('categorical')) return METRICS.categoricalAccuracy!;
  return METRICS.binaryAccuracy!;
}

export function compileModel(model: Model, args: CompileArgs): CompiledState {
  if (!args || args.optimizer === undefined || args.loss === undefined) {
    throw new Error(`${model.name}.compile: expected { optimizer, loss, metrics? }`);
  }
  const optimizer = typeof args.optimizer === 'string' ? resolveName(args.optimizer, OPTIMIZER_TABLE, 'optimizer').create() : args.optimizer;
  if (!(optimizer instanceof Optimizer)) throw new Error(`${model.name}.compile: optimizer must be an optimizer object or a name`);
  const loss = typeof args.loss === 'string' ? resolveName(args.loss, LOSSES, 'loss') : args.loss;
  const lossName = typeof args.loss === 'string' ? toKerasName(args.loss) : args.loss.name || 'custom_loss';
  const metrics = (args.metrics ?? []).map((m): CompiledMetric => {
    if (typeof m === 'function') return { name: toKerasName(m.name || 'metric'), fn: m };
    if (m === 'acc' || m === 'accuracy') return { name: 'acc', fn: accuracyFor(lossName) };
    return { name: toKerasName(m), fn: resolveName(m, METRICS, 'metric') };
  });
  return { optimizer, loss, lossName, metrics, trainableWeights: model.trainableWeights };
}
