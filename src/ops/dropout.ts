import { getBackend } from '../backend/index.js';
import { pooledTensor } from '../tensor/create.js';
import type { Random } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul } from './arithmetic.js';

/**
 * Inverted dropout: keeps each value with probability 1 − rate and scales kept values by
 * 1/(1 − rate), so nothing changes at inference time. Callers apply it in training only.
 */
export function dropout(x: Tensor, rate: number, rng: Random): Tensor {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout: rate must be in [0, 1), got ${rate}`);
  if (rate === 0) return x;
  const scale = 1 / (1 - rate);
  const mask = getBackend().alloc(x.size);
  rng.fillMask(mask, rate, scale);
  return mul(x, pooledTensor(mask, x.shape));
}
