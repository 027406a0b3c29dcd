import { LOSSES, type LossFn } from '../losses/losses.js';
import { Mean, Metric, MeanMetricWrapper } from '../metrics/metric.js';
import { binaryAccuracy, categoricalAccuracy, METRICS, type MetricFn, sparseCategoricalAccuracy } from '../metrics/metrics.js';
import type { Model } from '../models/model.js';
import type { Variable } from '../models/variable.js';
import { add, mul } from '../ops/arithmetic.js';
import { Optimizer, OPTIMIZER_TABLE } from '../optimizers/index.js';
import { Tensor } from '../tensor/tensor.js';
import { resolveName, toKerasName } from './names.js';

/** A loss by name ('binaryCrossentropy' / 'binary_crossentropy', …) or a function (yTrue, yPred) → scalar. */
export type LossSpec = string | LossFn;

export interface CompileArgs {
  /** An optimizer object, or 'sgd' | 'rmsprop' | 'adam' | 'adamw' with Keras defaults. */
  optimizer: Optimizer | string;
  /**
   * The loss; a model with several outputs takes one for all, a list in output order, or an
   * object by output layer name, as Keras does.
   */
  loss: LossSpec | readonly LossSpec[] | Readonly<Record<string, LossSpec>>;
  /** Several outputs: each output's weight in the total loss (list or by name); default 1 each. */
  lossWeights?: readonly number[] | Readonly<Record<string, number>>;
  /**
   * 'acc' / 'accuracy' (picked to suit the loss), 'binaryAccuracy', 'auc', 'precision', 'recall',
   * …, metric objects (`metrics.auc({ curve: 'PR' })`; one output only, as they keep state), or
   * per-batch functions; names and functions apply to every output.
   */
  metrics?: (string | MetricFn | Metric)[];
}

export interface CompiledMetric {
  /**
   * The History key: 'acc' for 'acc'/'accuracy' (K22), else the Keras snake_case name; with
   * several outputs, prefixed by the output's layer name (dense_1_acc), as Keras 2 does.
   */
  name: string;
  metric: Metric;
  /** Which output it reads. */
  output: number;
}

/** One output's part of the loss. */
export interface CompiledOutput {
  /** The output layer's name. */
  name: string;
  loss: LossFn;
  /** As saved in training_config: the Keras snake_case name. */
  lossName: string;
  weight: number;
}

export interface CompiledState {
  optimizer: Optimizer;
  /** One per model output, in order. */
  outputs: CompiledOutput[];
  /** The loss's Keras name for a model with one output (several: each is in `outputs`). */
  lossName: string;
  /** With several outputs, each output's loss comes first (dense_1_loss), then the metrics per output. */
  metrics: CompiledMetric[];
  /** The metrics as the user named them, for training_config. */
  metricNames: string[];
  /** The total loss's running mean over the samples since the last reset. */
  lossMean: Mean;
  /** Captured at compile time, as Keras does: changing `trainable` later needs a new compile. */
  trainableWeights: Variable[];
}

function accuracyFor(lossName: string): MetricFn {
  if (lossName.includes('sparse')) return sparseCategoricalAccuracy;
  if (lossName.includes('categorical')) return categoricalAccuracy;
  return binaryAccuracy;
}

/** A metric as given to compile, made stateful: functions become running means. */
function compileMetric(m: string | MetricFn | Metric, lossName: string): Metric {
  if (m instanceof Metric) return m;
  if (typeof m === 'function') return new MeanMetricWrapper(m, toKerasName(m.name || 'metric'));
  if (m === 'acc' || m === 'accuracy') return new MeanMetricWrapper(accuracyFor(lossName), 'acc');
  return resolveName(m, METRICS, 'metric')();
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

/** A per-output setting given once, as a list in output order, or by output name. */
function perOutput<T>(value: T | readonly T[] | Readonly<Record<string, T>>, names: readonly string[], what: string,
  where: string, isOne: (v: unknown) => v is T): T[] {
  if (isOne(value)) return names.map(() => value);
  if (Array.isArray(value)) {
    if (value.length !== names.length) throw new Error(`${where}: ${what} has ${value.length} entries for ${names.length} outputs (${names.join(', ')})`);
    return [...value];
  }
  const byName = value as Readonly<Record<string, T>>;
  const unknown = Object.keys(byName).filter((k) => !names.includes(k));
  if (unknown.length > 0 || names.some((n) => byName[n] === undefined)) {
    throw new Error(`${where}: ${what} must name every output (${names.join(', ')}), got ${Object.keys(byName).join(', ') || 'none'}`);
  }
  return names.map((n) => byName[n]!);
}

const isLoss = (v: unknown): v is LossSpec => typeof v === 'string' || typeof v === 'function';

export function compileModel(model: Model, args: CompileArgs): CompiledState {
  const where = `${model.name}.compile`;
  if (!args || args.optimizer === undefined || args.loss === undefined) {
    throw new Error(`${where}: expected { optimizer, loss, metrics? }`);
  }
  const optimizer = typeof args.optimizer === 'string' ? resolveName(args.optimizer, OPTIMIZER_TABLE, 'optimizer').create() : args.optimizer;
  if (!(optimizer instanceof Optimizer)) throw new Error(`${where}: optimizer must be an optimizer object or a name`);
  const names = model.outputNames;
  const losses = perOutput(args.loss, names, 'loss', where, isLoss);
  const weights = perOutput(args.lossWeights ?? 1, names, 'lossWeights', where, (v): v is number => typeof v === 'number');
  const outputs = names.map((name, i): CompiledOutput => {
    const spec = losses[i]!;
    return { name, loss: typeof spec === 'string' ? resolveName(spec, LOSSES, 'loss') : spec,
      lossName: typeof spec === 'string' ? toKerasName(spec) : spec.name || 'custom_loss', weight: weights[i]! };
  });
  const several = outputs.length > 1;
  const given = args.metrics ?? [];
  if (several && given.some((m) => m instanceof Metric)) {
    throw new Error(`${where}: a metric object keeps one output's state; with ${outputs.length} outputs, name the metric instead`);
  }
  const metrics: CompiledMetric[] = several
    ? outputs.map((o, output) => ({ name: `${o.name}_loss`, metric: new MeanMetricWrapper((y, p) => o.loss(y, p).item(), `${o.name}_loss`), output }))
    : [];
  outputs.forEach((o, output) => {
    for (const m of given) {
      const metric = compileMetric(m, o.lossName);
      metrics.push({ name: several ? `${o.name}_${metric.name}` : metric.name, metric, output });
    }
  });
  const metricNames = given.map((m) => (m instanceof Metric ? m.name : typeof m === 'function' ? toKerasName(m.name || 'metric')
    : m === 'accuracy' ? 'acc' : toKerasName(m)));
  return { optimizer, outputs, lossName: outputs[0]!.lossName, metrics, metricNames, lossMean: new Mean(), trainableWeights: model.trainableWeights };
}

/** A batch's labels as one tensor per output; a model with one output takes a tensor. */
export function labelsPerOutput(compiled: CompiledState, y: Tensor | readonly Tensor[], where: string): readonly Tensor[] {
  const ys = y instanceof Tensor ? [y] : y;
  if (ys.length !== compiled.outputs.length) {
    throw new Error(`${where}: the model has ${compiled.outputs.length} output(s) (${compiled.outputs.map((o) => o.name).join(', ')}) ` +
      `but the labels are ${ys.length} array(s); pass one y per output, in order`);
  }
  return ys;
}

/** The loss to minimise: the weighted sum of each output's loss. */
export function totalLoss(compiled: CompiledState, ys: readonly Tensor[], predictions: readonly Tensor[]): Tensor {
  return compiled.outputs.map((o, i) => {
    const loss = o.loss(ys[i]!, predictions[i]!);
    return o.weight === 1 ? loss : mul(loss, o.weight);
  }).reduce((a, b) => add(a, b));
}
