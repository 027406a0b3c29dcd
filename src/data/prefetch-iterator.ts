import type { Tensor } from '../tensor/tensor.js';
import type { BatchIterator } from './batch-iterator.js';
import { type BatchPlan, BatchOrder } from './batch-order.js';

/** What an iterator yields: images [b, h, w, c] and labels (null for classMode null). */
export type Batch = [Tensor, Tensor | null];

/** One planned batch as read: null when none of its `planned` samples could be read. */
export interface PlannedBatch {
  readonly batch: Batch | null;
  readonly planned: number;
}

/**
 * The endless batch source shared by the directory and array iterators. When batch k is
 * handed out, batch k + 1 is already being prepared (its images decode on libuv threads while
 * the caller trains on batch k). Each batch's indices and random draws are fixed synchronously
 * when it is planned, so results do not depend on timing.
 */
export abstract class PrefetchingIterator implements BatchIterator, AsyncIterable<Batch> {
  protected readonly order: BatchOrder;
  private ahead: Promise<PlannedBatch> | null = null;

  constructor(readonly samples: number, readonly batchSize: number, shuffle: boolean, seed?: number) {
    this.order = new BatchOrder(samples, batchSize, shuffle, seed);
  }

  /** The readable samples of a plan as a batch, or null when none of them can be read. */
  protected abstract build(plan: BatchPlan): Promise<Batch | null>;

  /** Called when a whole planned batch was unreadable, before `next()` moves on; may throw. */
  protected onUnreadableBatch(): void {}

  /**
   * The next planned batch exactly as read, never replaced by a later one: a caller that walks
   * one pass (evaluate, predict, validation, feature extraction) sees every sample once.
   */
  nextPlanned(): Promise<PlannedBatch> {
    const current = this.ahead ?? this.read();
    this.ahead = null;
    current.then(() => {
      if (this.ahead === null) {
        this.ahead = this.read();
        // A failure surfaces when the caller awaits this batch, not as an unhandled rejection.
        this.ahead.catch(() => undefined);
      }
    }, () => undefined);
    return current;
  }

  /**
   * The next batch `[x, y]`; never ends (the last batch of each pass may be short). A batch
   * with no readable sample is replaced by the next one, as a training stream wants.
   */
  async next(): Promise<Batch> {
    for (;;) {
      const { batch } = await this.nextPlanned();
      if (batch) return batch;
      this.onUnreadableBatch();
    }
  }

  private read(): Promise<PlannedBatch> {
    const plan = this.order.next();
    return this.build(plan).then((batch) => ({ batch, planned: plan.indices.length }));
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
