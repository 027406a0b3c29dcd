import { Random, rngFor } from '../tensor/random.js';

/** Which samples the next batch holds, and the random source for that batch's augmentation. */
export interface BatchPlan {
  readonly indices: readonly number[];
  readonly rng: Random;
}

/**
 * Keras's `Iterator` batch order (the `next()` path R's `generator_next()` uses): a fresh
 * permutation at the start of every pass when shuffling, consecutive slices of `batchSize`,
 * a short last batch, and no end. With a seed, the random source is reseeded with
 * seed + batches seen before each batch, so shuffling and augmentation are reproducible batch
 * by batch; without one, a private generator forked from the global one (see setSeed) is used,
 * so prefetching or other consumers of randomness do not change the sequence.
 */
export class BatchOrder {
  private indexArray: number[] = [];
  private batchIndex = 0;
  private totalBatchesSeen = 0;
  private readonly ownRng: Random | null;

  constructor(readonly n: number, readonly batchSize: number, readonly shuffle: boolean, readonly seed?: number) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
    if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
    this.ownRng = seed === undefined ? rngFor() : null;
  }

  /** The next batch's sample indices, advancing the state exactly as Keras's `_flow_index`. */
  next(): BatchPlan {
    const rng = this.ownRng ?? new Random(this.seed! + this.totalBatchesSeen);
    if (this.batchIndex === 0) {
      this.indexArray = this.shuffle ? rng.permutation(this.n) : Array.from({ length: this.n }, (_, i) => i);
    }
    const start = this.n === 0 ? 0 : (this.batchIndex * this.batchSize) % this.n;
    if (this.n > start + this.batchSize) this.batchIndex += 1;
    else this.batchIndex = 0;
    this.totalBatchesSeen += 1;
    return { indices: this.indexArray.slice(start, start + this.batchSize), rng };
  }

  /** Starts a new pass at the next call (Keras `reset()`). */
  reset(): void {
    this.batchIndex = 0;
  }

  /** Batches per pass, ceil(n / batchSize) (Keras `len(iterator)`). */
  get length(): number {
    return Math.ceil(this.n / this.batchSize);
  }
}
