import type { Tensor } from '../tensor/tensor.js';

/**
 * What `fit`, `evaluate` and `predict` accept besides arrays: an endless source of batches,
 * like Keras's generators. `samples` and `batchSize` give the default number of steps,
 * ceil(samples / batchSize). `y` is null for iterators without labels (classMode null).
 */
export interface BatchIterator {
  readonly samples: number;
  readonly batchSize: number;
  next(): Promise<[Tensor, Tensor | null]>;
  /**
   * Optional: the next planned batch without replacing an unreadable one (batch null), and how
   * many samples it was planned to hold. Passes that must see every sample once use it.
   */
  nextPlanned?(): Promise<{ batch: [Tensor, Tensor | null] | null; planned: number }>;
}

export function isBatchIterator(value: unknown): value is BatchIterator {
  return typeof value === 'object' && value !== null && typeof (value as BatchIterator).next === 'function'
    && typeof (value as BatchIterator).samples === 'number';
}
