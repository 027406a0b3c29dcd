import type { Tensor } from '../tensor/tensor.js';

/**
 * A metric with state, as Keras 3's: `update` adds a batch, `result` gives the value over every
 * sample since `reset`. fit resets at each epoch's start, so logs and History hold the epoch's
 * value and the progress line the running one; evaluate resets before its pass. AUC, precision
 * and recall need this: their value over an epoch is not the mean of their per-batch values.
 */
export abstract class Metric {
  /** The History key and progress-line label. */
  abstract readonly name: string;
  abstract reset(): void;
  abstract update(yTrue: Tensor, yPred: Tensor): void;
  abstract result(): number;
}

/** A sample-weighted running mean (the loss's tracker). */
export class Mean {
  private total = 0;
  private count = 0;

  reset(): void {
    this.total = 0;
    this.count = 0;
  }

  /** Adds `value`, the mean of `weight` samples. */
  add(value: number, weight: number): void {
    this.total += value * weight;
    this.count += weight;
  }

  /** The mean so far; NaN before any sample. */
  result(): number {
    return this.total / (this.count || NaN);
  }
}

/** A per-batch function's mean over the samples seen (Keras's MeanMetricWrapper): accuracy and the like. */
export class MeanMetricWrapper extends Metric {
  private readonly mean = new Mean();

  constructor(readonly fn: (yTrue: Tensor, yPred: Tensor) => number, readonly name: string) {
    super();
  }

  reset(): void {
    this.mean.reset();
  }

  update(yTrue: Tensor, yPred: Tensor): void {
    this.mean.add(this.fn(yTrue, yPred), yPred.shape[0] ?? 1);
  }

  result(): number {
    return this.mean.result();
  }
}
