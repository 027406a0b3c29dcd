import type { Tensor } from '../tensor/tensor.js';
import { ConfusionCounts, divideNoNan } from './confusion.js';
import { Metric } from './metric.js';

export interface ThresholdMetricArgs {
  /** A prediction above it counts as positive; default 0.5. */
  thresholds?: number;
  name?: string;
}

function threshold(value: number | undefined, where: string): number {
  const t = value ?? 0.5;
  if (typeof t !== 'number' || !(t >= 0 && t <= 1)) throw new Error(`${where}: thresholds must be a number in [0, 1], got ${JSON.stringify(value)}`);
  return t;
}

/** A metric read from the confusion counts at one threshold, over every sample since reset. */
abstract class ThresholdMetric extends Metric {
  readonly name: string;
  protected readonly counts: ConfusionCounts;

  constructor(args: ThresholdMetricArgs, defaultName: string) {
    super();
    this.name = args.name ?? defaultName;
    this.counts = new ConfusionCounts([threshold(args.thresholds, defaultName)]);
  }

  reset(): void {
    this.counts.reset();
  }

  update(yTrue: Tensor, yPred: Tensor): void {
    this.counts.update(yTrue, yPred, this.name);
  }
}

/** Keras's Precision over every sample since reset: tp / (tp + fp), 0 when nothing was predicted positive. */
export class Precision extends ThresholdMetric {
  constructor(args: ThresholdMetricArgs = {}) {
    super(args, 'precision');
  }

  result(): number {
    return divideNoNan(this.counts.tp[0]!, this.counts.tp[0]! + this.counts.fp[0]!);
  }
}

/** Keras's Recall over every sample since reset: tp / (tp + fn), 0 when there was no positive label. */
export class Recall extends ThresholdMetric {
  constructor(args: ThresholdMetricArgs = {}) {
    super(args, 'recall');
  }

  result(): number {
    return divideNoNan(this.counts.tp[0]!, this.counts.tp[0]! + this.counts.fn[0]!);
  }
}
