import { type BatchIterator, isBatchIterator } from '../data/batch-iterator.js';
import type { Model } from '../models/model.js';
import { gather } from '../ops/shape.js';
import { formatShape } from '../tensor/shape.js';
import type { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';

/** Arrays of samples: one tensor, or one per input (x) or output (y) of a model with several. */
export type Arrays = Tensor | readonly Tensor[];
/** Labels: one tensor, or one per output of a model with several. */
export type Labels = Arrays;

/** Whether `v` is arrays (fit's and evaluate's second argument) rather than an options object. */
export const isLabels = (v: unknown): v is Arrays => v instanceof Tensor || (Array.isArray(v) && v.every((t) => t instanceof Tensor));

/** Arrays as a list: one tensor per input or output. */
export const asList = (a: Arrays): readonly Tensor[] => (a instanceof Tensor ? [a] : a);

/** A batch, materialised lazily so array batches are gathered inside the step's memory scope. */
export type BatchThunk = () => [Arrays, Labels | null];

/** One pass's worth of batches from arrays or an iterator. */
export interface BatchSource {
  /** Batches per pass. */
  readonly steps: number;
  /** Samples per pass for arrays (progress counts samples); null for iterators (it counts steps). */
  readonly samples: number | null;
  /** Starts a pass (reshuffles arrays when asked to). */
  startPass(rng: Random | null): void;
  /**
   * The `step`-th batch of the current pass; null when none of its samples could be read (an
   * exact pass over an iterator with unreadable files, which counts the step all the same).
   */
  batch(step: number): Promise<BatchThunk | null>;
}

/** Checks x against the model's declared input and against y; errors name the layer and both shapes. */
export function checkArrays(model: Model, xs: Arrays, y: Labels | null, where: string): void {
  const x = asList(xs)[0]!;
  const first = model.layers[0];
  const expected = model.batchInputShape;
  if (xs instanceof Tensor && first && expected && (expected.length !== x.rank || expected.some((d, i) => i > 0 && d !== null && d !== x.shape[i]))) {
    throw new Error(`${where}: ${first.name} (the model's first layer) expects input of shape ${formatShape(expected)}, ` +
      `but x has shape ${formatShape([null, ...x.shape.slice(1)])} (${x.shape[0]} samples)`);
  }
  for (const other of asList(xs).slice(1)) {
    if (other.shape[0] !== x.shape[0]) throw new Error(`${where}: every input must have the same number of samples, got ${asList(xs).map((t) => t.shape[0]).join(' and ')}`);
  }
  for (const labels of y ? asList(y) : []) {
    if (labels.shape[0] !== x.shape[0]) {
      throw new Error(`${where}: x and y must have the same number of samples, but x has ${x.shape[0]} and y has ${labels.shape[0]}`);
    }
  }
}

/** A count option (batchSize, epochs, steps): a positive integer, or an error naming it and what came. */
export function requirePositiveInteger(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`${where}: ${name} must be a positive integer, got ${typeof value === 'string' ? `'${value}'` : String(value)}`);
  }
  return value;
}

export function arraySource(x: Arrays, y: Labels | null, batchSize: number, shuffle: boolean, where = 'fit'): BatchSource {
  const n = asList(x)[0]!.shape[0] ?? 0;
  requirePositiveInteger(batchSize, 'batchSize', where);
  let order: number[] = Array.from({ length: n }, (_, i) => i);
  return {
    steps: Math.ceil(n / batchSize),
    samples: n,
    startPass(rng) {
      if (shuffle && rng) order = rng.permutation(n);
    },
    async batch(step) {
      const rows = order.slice(step * batchSize, Math.min(n, (step + 1) * batchSize));
      const take = (a: Arrays): Arrays => (a instanceof Tensor ? rowsOf(a, rows) : a.map((t) => rowsOf(t, rows)));
      return () => [take(x), y ? take(y) : null];
    },
  };
}

/**
 * The given rows of t. A run of rows in order (every batch of predict, evaluate and an unshuffled
 * fit) is a view of t's storage: copying a batch of 150×150 images costs as long as a small
 * layer. Views are safe because no kernel writes into its inputs, and a view's storage is not the
 * allocator's, so no step scope ever releases it.
 */
function rowsOf(t: Tensor, rows: readonly number[]): Tensor {
  const first = rows[0] ?? 0;
  if (rows.length === 0 || rows.some((r, i) => r !== first + i)) return gather(t, rows);
  const row = t.size / t.shape[0]!;
  return new Tensor(t.data.subarray(first * row, (first + rows.length) * row), [rows.length, ...t.shape.slice(1)], t.dtype);
}

/**
 * How an iterator is read: 'stream' (training) replaces a batch with no readable image by the
 * next one; 'exact' (evaluation, prediction, validation) keeps the batches as planned, so a
 * pass of ceil(samples / batchSize) steps sees each image once even when a batch is unreadable.
 */
export type IteratorReading = 'stream' | 'exact';

export function iteratorSource(iterator: BatchIterator, steps: number | undefined, stepsName: string, where: string,
  reading: IteratorReading): BatchSource {
  if (iterator.samples === 0) throw new Error(`${where}: the iterator has no samples`);
  const resolved = requirePositiveInteger(steps ?? Math.ceil(iterator.samples / iterator.batchSize), stepsName, where);
  return {
    steps: resolved,
    samples: null,
    startPass() {},
    async batch() {
      const batch = reading === 'exact' && iterator.nextPlanned ? (await iterator.nextPlanned()).batch : await iterator.next();
      return batch && (() => batch);
    },
  };
}

/**
 * Builds a source from fit/evaluate/predict's two call forms. Steps (named `stepsName` in
 * errors) count an iterator's batches; arrays are counted by batchSize, and steps given with
 * them would be ignored, so they are refused.
 */
export function toSource(model: Model, data: Arrays | BatchIterator, y: Labels | null, batchSize: number,
  shuffle: boolean, steps: number | undefined, where: string, stepsName = 'steps', reading: IteratorReading = 'exact'): BatchSource {
  if (isBatchIterator(data)) return iteratorSource(data, steps, stepsName, where, reading);
  if (!isLabels(data) || asList(data).length === 0) {
    throw new Error(`${where}: x must be a Tensor or a batch iterator, got ${Array.isArray(data) ? 'an array (make one with tensor(…))' : String(data)}`);
  }
  if (steps !== undefined) throw new Error(`${where}: ${stepsName} counts the batches of an iterator; with arrays, set batchSize instead`);
  const first = asList(data)[0]!;
  if (first.shape[0] === 0) throw new Error(`${where}: x has no samples (shape [${first.shape.join(', ')}])`);
  checkArrays(model, data, y, where);
  return arraySource(data, y, batchSize, shuffle, where);
}
