import { getBackend } from '../backend/index.js';
import { withScope } from '../tensor/memory.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Runs one step (a training batch, a prediction batch) and hands every buffer it allocated back
 * to the backend afterwards, except the storage of the tensors `keep` names. The result must
 * therefore not hold other tensors made inside: return plain numbers or copies.
 */
export function inStepScope<T>(fn: () => T, keep: (result: T) => readonly Tensor[] = () => []): T {
  return withScope(fn, keep, (buffer) => getBackend().release(buffer));
}
