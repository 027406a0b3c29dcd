import type { Tensor } from '../tensor/tensor.js';
import type { BatchIterator } from './batch-iterator.js';
import { type BatchPlan, BatchOrder } from './batch-order.js';

/** What an iterator yields: images [b, h, w, c] and labels (null for classMode null). */
export type Batch = [Tensor, Tensor | null];

/**
 * The endless batch source shared by the directory and array iterators. When batch k is
 * handed out, batch k + 1 is already being prepared (its images decode on libuv threads while
 * the caller trains on batch k). Each batch's indices and random draws are fixed synchronously
 * when it is planned, so results do not depend on timing.
 */
export abstract class PrefetchingIterator implements BatchIterator, AsyncIterable<Batch> {
  protected readonly order: BatchOrder;
  private ahead: Promise<Batch> | null = null;

  constructor(readonly samples: number, readonly batchSize: number, shuffle: boolean, seed?: number) {
    this.order = new BatchOrder(samples, batchSize, shuffle, seed);
  }

  /** Builds the batch for a plan; may ask `order` for further plans to replace unusable ones. */
  protected abstract build(plan: BatchPlan): Promise<Batch>;

  /** The next batch `[x, y]`; never ends (the last batch of each pass may be short). */
  next(): Promise<Batch> {
    const current = this.ahead ?? this.build(this.order.next());
    this.ahead = null;
    current.then(() => {
      if (this.ahead === null) {
        this.ahead = this.build(this.order.next());
        // A failure surfaces when the caller awaits this batch, not as an unhandled rejection.
        this.ahead.catch(() => undefined);
      }
    }, () => undefined);
    return current;
  }

  /** Batches per pass over the data, ceil(samples / batchSize). */
  get length(): number {
    return this.order.length;
  }

  /** Restarts at the beginning of a pass with the next batch (reshuffling when shuffling). */
  reset(): void {
    this.ahead = null;
    this.order.reset();
  }

  /** `for await (const [x, y] of iterator)` — endless, so break out of the loop. */
  [Symbol.asyncIterator](): AsyncIterator<Batch> {
    return { next: async () => ({ value: await this.next(), done: false }) };
  }
}

/**
 * R's `generator_next()`: the next batch of an iterator.
 * @example const [x, y] = await generatorNext(trainGenerator);   // x [20, 150, 150, 3], y [20]
 */
export function generatorNext(iterator: BatchIterator): Promise<Batch> {
  return iterator.next();
}
