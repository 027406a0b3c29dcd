import { getBackend } from '../backend/index.js';
import { fraction, nonNegative, Optimizer, type OptimizerArgs, setting } from './optimizer.js';

export interface AdamArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/**
 * Keras Adam: t ← t + 1; lr_t = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ); m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
 * w ← w − lr_t·m/(√v + ε). Defaults lr 0.001, β₁ 0.9, β₂ 0.999, ε 1e-7.
 */
export class Adam extends Optimizer {
  readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  protected readonly slotCount = 2;

  constructor(args: AdamArgs = {}) {
    super(args, 0.001);
    const where = new.target.name;
    this.beta1 = setting(args.beta1, 0.9, 'beta1', where, fraction, 'a number in [0, 1)');
    this.beta2 = setting(args.beta2, 0.999, 'beta2', where, fraction, 'a number in [0, 1)');
    this.epsilon = setting(args.epsilon, 1e-7, 'epsilon', where, nonNegative, 'a number >= 0');
  }

  protected update(w: Float32Array, g: Float32Array, slots: Float32Array[], lr: number): void {
    // applyGradients has already counted this step, so t = iterations.
    const t = this.iterations;
    const lrT = (lr * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    getBackend().adamUpdate(w, g, slots[0]!, slots[1]!, { learningRate: lrT, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon });
  }

  getConfig(): Record<string, unknown> {
    return { ...this.rateConfig(), beta_1: this.beta1, beta_2: this.beta2, decay: this.decay, epsilon: this.epsilon, amsgrad: false };
  }
}
