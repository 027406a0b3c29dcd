import { Adam, type AdamArgs } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop, type RmspropArgs } from './rmsprop.js';
import { SGD, type SgdArgs } from './sgd.js';

export { Optimizer } from './optimizer.js';
export { Adam, RMSprop, SGD };

/** Factories with Keras's names: `optimizers.rmsprop({ learningRate: 1e-4 })`. */
export const optimizers = {
  sgd: (args?: SgdArgs): SGD => new SGD(args),
  rmsprop: (args?: RmspropArgs): RMSprop => new RMSprop(args),
  adam: (args?: AdamArgs): Adam => new Adam(args),
};

export const OPTIMIZERS: Record<string, () => Optimizer> = {
  sgd: () => new SGD(),
  rmsprop: () => new RMSprop(),
  adam: () => new Adam(),
};
