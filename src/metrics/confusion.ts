import { asTargets } from '../losses/labels.js';
import type { Tensor } from '../tensor/tensor.js';

/** True/false positives and negatives per threshold, accumulated over batches. */
export class ConfusionCounts {
  readonly tp: Float64Array;
  readonly fp: Float64Array;
  readonly tn: Float64Array;
  readonly fn: Float64Array;

  /** A prediction counts as positive above a threshold (p > t), as in Keras. */
  constructor(readonly thresholds: readonly number[]) {
    const n = thresholds.length;
    [this.tp, this.fp, this.tn, this.fn] = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  }

  reset(): void {
    for (const a of [this.tp, this.fp, this.tn, this.fn]) a.fill(0);
  }

  /** Labels (any non-zero is positive) and probabilities in [0, 1], element by element. */
  update(yTrue: Tensor, yPred: Tensor, where: string): void {
    const y = asTargets(yTrue, yPred, where).data;
    const p = yPred.data;
    for (let i = 0; i < p.length; i++) {
      const v = p[i]!;
      if (!(v >= 0 && v <= 1)) throw new Error(`${where}: prediction ${v} at index ${i} is outside [0, 1]; expected probabilities`);
      const positive = y[i] !== 0;
      this.thresholds.forEach((t, k) => {
        if (v > t) (positive ? this.tp : this.fp)[k]++;
        else (positive ? this.fn : this.tn)[k]++;
      });
    }
  }
}

/** a / b, or 0 where b is 0 (Keras's divide_no_nan). */
export const divideNoNan = (a: number, b: number): number => (b === 0 ? 0 : a / b);
