import type { Tensor } from '../tensor/tensor.js';
import { ConfusionCounts, divideNoNan } from './confusion.js';
import { Metric } from './metric.js';

export interface AucArgs {
  /** Thresholds spread evenly over [0, 1]; default 200, as in Keras. */
  numThresholds?: number;
  /** 'ROC' (default) or 'PR' (precision–recall). */
  curve?: 'ROC' | 'PR';
  name?: string;
}

/**
 * Keras's AUC: the confusion counts at `numThresholds` thresholds (0 − 1e-7, 1/(n − 1), …,
 * (n − 2)/(n − 1), 1 + 1e-7) accumulated over the epoch, then the area under the curve they
 * trace, by the trapezoidal rule for ROC and by Davis & Goadrich's interpolation for PR
 * (Keras's summation_method 'interpolation').
 */
export class AUC extends Metric {
  readonly name: string;
  readonly numThresholds: number;
  readonly curve: 'ROC' | 'PR';
  private readonly counts: ConfusionCounts;

  constructor(args: AucArgs = {}) {
    super();
    this.name = args.name ?? 'auc';
    this.numThresholds = args.numThresholds ?? 200;
    if (!Number.isInteger(this.numThresholds) || this.numThresholds < 2) {
      throw new Error(`auc: numThresholds must be an integer > 1, got ${JSON.stringify(args.numThresholds)}`);
    }
    this.curve = args.curve ?? 'ROC';
    if (this.curve !== 'ROC' && this.curve !== 'PR') throw new Error(`auc: curve must be 'ROC' or 'PR', got ${JSON.stringify(args.curve)}`);
    const n = this.numThresholds;
    const inner = Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1));
    this.counts = new ConfusionCounts([0 - 1e-7, ...inner, 1 + 1e-7].map(Math.fround));
  }

  reset(): void {
    this.counts.reset();
  }

  update(yTrue: Tensor, yPred: Tensor): void {
    this.counts.update(yTrue, yPred, this.name);
  }

  result(): number {
    return this.curve === 'PR' ? this.interpolatedPr() : this.roc();
  }

  private roc(): number {
    const { tp, fp, tn, fn } = this.counts;
    const tpr = tp.map((v, i) => divideNoNan(v, v + fn[i]!));
    const fpr = fp.map((v, i) => divideNoNan(v, v + tn[i]!));
    let area = 0;
    for (let i = 0; i + 1 < tpr.length; i++) area += (fpr[i]! - fpr[i + 1]!) * (tpr[i]! + tpr[i + 1]!) / 2;
    return area;
  }

  /** Precision is interpolated between thresholds as a function of the positives predicted. */
  private interpolatedPr(): number {
    const { tp, fp, fn } = this.counts;
    const p = tp.map((v, i) => v + fp[i]!);
    let area = 0;
    for (let i = 0; i + 1 < tp.length; i++) {
      const dtp = tp[i]! - tp[i + 1]!;
      const slope = divideNoNan(dtp, Math.max(p[i]! - p[i + 1]!, 0));
      const intercept = tp[i + 1]! - slope * p[i + 1]!;
      const ratio = p[i]! > 0 && p[i + 1]! > 0 ? divideNoNan(p[i]!, Math.max(p[i + 1]!, 0)) : 1;
      area += divideNoNan(slope * (dtp + intercept * Math.log(ratio)), Math.max(tp[i + 1]! + fn[i + 1]!, 0));
    }
    return area;
  }
}
