import { getBackend } from '../backend/index.js';
import { Adam, type AdamArgs } from './adam.js';
import { nonNegative, setting } from './optimizer.js';

export interface AdamWArgs extends AdamArgs {
  /** Decoupled weight decay: each update first shrinks w by w·weightDecay·lr. Default 0.004. */
  weightDecay?: number;
}

/**
 * Keras 3 AdamW: Adam whose weight decay is decoupled from the gradient (Loshchilov & Hutter):
 * w ← w − w·weightDecay·lr with the step's rate before bias correction, then Adam's update. Its
 * state is Adam's (m and v), saved the same way.
 */
export class AdamW extends Adam {
  override readonly className: string = 'AdamW';
  readonly weightDecay: number;

  constructor(args: AdamWArgs = {}) {
    super(args);
    if (this.decay !== 0) throw new Error(`AdamW: decay (Keras 2's time decay) is not part of AdamW; pass a schedule as learningRate`);
    this.weightDecay = setting(args.weightDecay, 0.004, 'weightDecay', 'AdamW', nonNegative, 'a number >= 0');
  }

  protected override update(w: Float32Array, g: Float32Array, slots: Float32Array[], lr: number): void {
    // SGD's kernel with the weight as its own gradient: w ← w − (lr·weightDecay)·w.
    if (this.weightDecay > 0) getBackend().sgdUpdate(w, w, null, { learningRate: lr * this.weightDecay, momentum: 0, nesterov: false });
    super.update(w, g, slots, lr);
  }

  override getConfig(): Record<string, unknown> {
    return { ...this.rateConfig('learning_rate'), weight_decay: this.weightDecay, beta_1: this.beta1, beta_2: this.beta2,
      epsilon: this.epsilon, amsgrad: false };
  }
}
