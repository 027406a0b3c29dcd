import { getBackend } from '../backend/index.js';
import { fraction, nonNegative, Optimizer, type OptimizerArgs, setting } from './optimizer.js';

export interface RmspropArgs extends OptimizerArgs {
  rho?: number;
  epsilon?: number;
}

/** Keras RMSprop: a ← ρa + (1 − ρ)g²; w ← w − lr·g/(√a + ε). Defaults lr 0.001, ρ 0.9, ε 1e-7. */
export class RMSprop extends Optimizer {
  readonly className = 'RMSprop';
  readonly rho: number;
  readonly epsilon: number;
  protected readonly slotCount = 1;

  constructor(args: RmspropArgs = {}) {
    super(args, 0.001);
    this.rho = setting(args.rho, 0.9, 'rho', 'RMSprop', fraction, 'a number in [0, 1)');
    this.epsilon = setting(args.epsilon, 1e-7, 'epsilon', 'RMSprop', nonNegative, 'a number >= 0');
  }

  protected update(w: Float32Array, g: Float32Array, slots: Float32Array[], lr: number): void {
    getBackend().rmspropUpdate(w, g, slots[0]!, { learningRate: lr, rho: this.rho, epsilon: this.epsilon });
  }

  getConfig(): Record<string, unknown> {
    return { ...this.rateConfig(), rho: this.rho, decay: this.decay, epsilon: this.epsilon };
  }
}
