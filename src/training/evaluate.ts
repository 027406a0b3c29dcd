import { noGrad } from '../autograd/tape.js';
import { type BatchIterator, isBatchIterator } from '../data/batch-iterator.js';
import type { Model } from '../models/model.js';
import { inStepScope } from '../ops/scope.js';
import { Tensor } from '../tensor/tensor.js';
import type { Logs } from './callbacks/callback.js';
import { type Arrays, asList, type BatchSource, isLabels, type Labels, toSource } from './batches.js';
import { Progbar } from './progbar.js';
import { metricResults, resetMetrics } from './compile.js';
import { testStep } from './train-step.js';

export interface EvaluateOptions {
  /** Array input: samples per batch; default 32. */
  batchSize?: number;
  /** Iterator input: batches to draw; default ceil(samples / batchSize). */
  steps?: number;
  /**
   * 1: a Keras progress bar (samples for arrays, steps for iterators) ending with the loss and
   * metrics; 0: silent. Default 1 for evaluate and 0 for predict, as in Keras.
   */
  verbose?: 0 | 1;
}

export type PredictOptions = EvaluateOptions;

/** Counts a source's progress as Keras does: samples for arrays, steps for iterators. */
class SourceProgress {
  private readonly bar: Progbar;
  private seen = 0;

  constructor(private readonly source: BatchSource, verbose: 0 | 1) {
    this.bar = new Progbar(source.samples ?? source.steps, process.stdout, verbose === 0);
  }

  /** After a batch of `size` samples. */
  step(size: number): void {
    this.seen += this.source.samples === null ? 1 : size;
    if (this.seen < this.bar.target) this.bar.update(this.seen);
  }

  /** The final line, with the pass's loss and metrics. */
  end(values: Logs = {}): void {
    this.bar.update(this.bar.target, values);
  }
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Loss (its sample-weighted mean) and metrics over one pass of `source`. */
export async function evaluateSource(model: Model, source: BatchSource, verbose: 0 | 1 = 0): Promise<Logs> {
  const compiled = model.compiled!;
  const progress = new SourceProgress(source, verbose);
  let count = 0;
  resetMetrics(compiled);
  source.startPass(null);
  for (let step = 0; step < source.steps; step++) {
    const take = await source.batch(step);
    if (!take) {
      progress.step(0);
      continue;
    }
    const size = testStep(model, compiled, take).size!;
    count += size;
    progress.step(size);
    await yieldToEventLoop();
  }
  if (count === 0) throw new Error(`${model.name}.evaluate: none of the ${source.steps} batches had a readable sample`);
  const results = metricResults(compiled);
  progress.end(results);
  return results;
}

export function requireCompiled(model: Model, what: string): void {
  if (!model.compiled) {
    throw new Error(`${model.name}: call compile({ optimizer, loss, metrics }) before ${what}()`);
  }
}

/** Returns { loss, ...metrics } for arrays or an iterator, as R keras's evaluate does. */
export async function evaluateModel(model: Model, data: Arrays | BatchIterator, b?: Labels | EvaluateOptions,
  c?: EvaluateOptions): Promise<Record<string, number>> {
  requireCompiled(model, 'evaluate');
  const [y, options] = isLabels(b) ? [b, c ?? {}] : [null, (b ?? {}) as EvaluateOptions];
  if (!isBatchIterator(data) && !y) throw new Error(`${model.name}.evaluate: expected (x, y, options) or (iterator, options)`);
  const source = toSource(model, data, y, options.batchSize ?? 32, false, options.steps, `${model.name}.evaluate`);
  return evaluateSource(model, source, options.verbose ?? 1);
}

/** Every output of the model for every sample, in the order of the arrays or of the iterator's batches. */
export async function predictModel(model: Model, data: Arrays | BatchIterator, options: PredictOptions = {}): Promise<Tensor[]> {
  const source = toSource(model, data, null, options.batchSize ?? 32, false, options.steps, `${model.name}.predict`);
  const progress = new SourceProgress(source, options.verbose ?? 0);
  source.startPass(null);
  const chunks: Float32Array[][] = [];
  let rowShapes: (readonly number[])[] = [];
  let rows = 0;
  // One batch: its outputs are the result, kept out of the step's release. Several: each is
  // copied out before its buffer goes back for the next batch.
  const single = source.steps === 1;
  for (let step = 0; step < source.steps; step++) {
    const take = await source.batch(step);
    if (!take) {
      progress.step(0);
      continue;
    }
    const outs = inStepScope(() => noGrad(() => {
      const ys = model.callOutputs(asList(take()[0]), { training: false });
      if (!single) chunks.push(ys.map((y) => y.f32.slice()));
      return ys;
    }), (ys) => (single ? ys : []));
    progress.step(outs[0]!.shape[0]!);
    if (single) {
      progress.end();
      return outs;
    }
    rowShapes = outs.map((y) => y.shape.slice(1));
    rows += outs[0]!.shape[0]!;
    await yieldToEventLoop();
  }
  if (rows === 0) throw new Error(`${model.name}.predict: none of the ${source.steps} batches had a readable sample`);
  progress.end();
  return rowShapes.map((rowShape, k) => {
    const parts = chunks.map((batch) => batch[k]!);
    const result = new Float32Array(parts.reduce((n, ch) => n + ch.length, 0));
    let offset = 0;
    for (const ch of parts) {
      result.set(ch, offset);
      offset += ch.length;
    }
    return new Tensor(result, [rows, ...rowShape]);
  });
}
