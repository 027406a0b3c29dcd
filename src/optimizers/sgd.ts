import { getBackend } from '../backend/index.js';
import { fraction, Optimizer, type OptimizerArgs, setting } from './optimizer.js';

export interface SgdArgs extends OptimizerArgs {
  momentum?: number;
  nesterov?: boolean;
}

/** Keras SGD: v ← μv − lr·g; w ← w + v (nesterov: w ← w + μv − lr·g). lr default 0.01. */
export class SGD extends Optimizer {
  readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;
  protected readonly slotCount: number;

  constructor(args: SgdArgs = {}) {
    super(args, 0.01);
    this.momentum = setting(args.momentum, 0, 'momentum', 'SGD', fraction, 'a number in [0, 1)');
    this.nesterov = args.nesterov ?? false;
    this.slotCount = this.momentum > 0 ? 1 : 0;
  }

  protected update(w: Float32Array, g: Float32Array, slots: Float32Array[], lr: number): void {
    getBackend().sgdUpdate(w, g, slots[0] ?? null, { learningRate: lr, momentum: this.momentum, nesterov: this.nesterov });
  }

  getConfig(): Record<string, unknown> {
    return { ...this.rateConfig(), momentum: this.momentum, decay: this.decay, nesterov: this.nesterov };
  }
}
