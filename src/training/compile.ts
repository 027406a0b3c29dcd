import { LOSSES, type LossFn } from '../losses/losses.js';
import { Mean, Metric, MeanMetricWrapper } from '../metrics/metric.js';
import { binaryAccuracy, categoricalAccuracy, METRICS, type MetricFn, sparseCategoricalAccuracy } from '../metrics/metrics.js';
import type { Model } from '../models/model.js';
import type { Variable } from '../models/variable.js';
import { Optimizer, OPTIMIZER_TABLE } from '../optimizers/index.js';
import { resolveName, toKerasName } from './names.js';

export interface CompileArgs {
  /** An optimizer object, or 'sgd' | 'rmsprop' | 'adam' | 'adamw' with Keras defaults. */
  optimizer: Optimizer | string;
  /** 'binaryCrossentropy' / 'binary_crossentropy', …, or a function (yTrue, yPred) → scalar. */
  loss: string | LossFn;
  /**
   * 'acc' / 'accuracy' (picked to suit the loss), 'binaryAccuracy', 'auc', 'precision', 'recall',
   * …, metric objects (`metrics.auc({ curve: 'PR' })`), or per-batch functions.
   */
  metrics?: (string | MetricFn | Metric)[];
}

export interface CompiledMetric {
  /** The History key: 'acc' for 'acc'/'accuracy' (K22), else the Keras snake_case name. */
  name: string;
  metric: Metric;
}

export interface CompiledState {
  optimizer: Optimizer;
  loss: LossFn;
  /** As saved in training_config: the Keras snake_case name. */
  lossName: string;
  metrics: CompiledMetric[];
  /** The loss's running mean over the samples since the last reset. */
  lossMean: Mean;
  /** Captured at compile time, as Keras does: changing `trainable` later needs a new compile. */
  trainableWeights: Variable[];
}

function accuracyFor(lossName: string): MetricFn {
  if (lossName.includes('sparse')) return sparseCategoricalAccuracy;
  if (lossName.includes('categorical')) return categoricalAccuracy;
  return binaryAccuracy;
}

function compileMetric(m: string | MetricFn | Metric, lossName: string): CompiledMetric {
  const named = (metric: Metric): CompiledMetric => ({ name: metric.name, metric });
  if (m instanceof Metric) return named(m);
  if (typeof m === 'function') return named(new MeanMetricWrapper(m, toKerasName(m.name || 'metric')));
  if (m === 'acc' || m === 'accuracy') return named(new MeanMetricWrapper(accuracyFor(lossName), 'acc'));
  return named(resolveName(m, METRICS, 'metric')());
}

/** Starts every metric and the loss's mean afresh (each epoch, each evaluate). */
export function resetMetrics(compiled: CompiledState): void {
  compiled.lossMean.reset();
  for (const m of compiled.metrics) m.metric.reset();
}

/** { loss, ...metrics } over the samples since the last reset. */
export function metricResults(compiled: CompiledState): Record<string, number> {
  return { loss: compiled.lossMean.result(), ...Object.fromEntries(compiled.metrics.map((m) => [m.name, m.metric.result()])) };
}

export function compileModel(model: Model, args: CompileArgs): CompiledState {
  if (!args || args.optimizer === undefined || args.loss === undefined) {
    throw new Error(`${model.name}.compile: expected { optimizer, loss, metrics? }`);
  }
  const optimizer = typeof args.optimizer === 'string' ? resolveName(args.optimizer, OPTIMIZER_TABLE, 'optimizer').create() : args.optimizer;
  if (!(optimizer instanceof Optimizer)) throw new Error(`${model.name}.compile: optimizer must be an optimizer object or a name`);
  const loss = typeof args.loss === 'string' ? resolveName(args.loss, LOSSES, 'loss') : args.loss;
  const lossName = typeof args.loss === 'string' ? toKerasName(args.loss) : args.loss.name || 'custom_loss';
  const metrics = (args.metrics ?? []).map((m) => compileMetric(m, lossName));
  return { optimizer, loss, lossName, metrics, lossMean: new Mean(), trainableWeights: model.trainableWeights };
}
