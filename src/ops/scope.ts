import { getBackend } from '../backend/index.js';
import { isRecording } from '../autograd/tape.js';
import { disown, withScope } from '../tensor/memory.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Runs one step (a training batch, a prediction batch) and hands every buffer it allocated back
 * to the backend afterwards, except the storage of the tensors `keep` names. The result must
 * therefore not hold other tensors made inside: return plain numbers or copies.
 */
export function inStepScope<T>(fn: () => T, keep: (result: T) => readonly Tensor[] = () => []): T {
  return withScope(fn, keep, (buffer) => getBackend().release(buffer));
}

/**
 * Gives an intermediate's buffer back as soon as the model has read it for the last time, so
 * that a later output of the same size (the pools recycle by size: a fire module's, a repeated
 * block's) lands in memory that is still in cache, as ONNX Runtime's buffer planner does. Only where
 * nothing can read it again: gradients are not being recorded (a tape would keep it for
 * backward), the current step made it, and none of `live` shares its memory (a reshape, an
 * identity layer, a view).
 */
export function releaseDead(dead: Tensor, live: Iterable<Tensor>): void {
  if (isRecording() || !(dead.data instanceof Float32Array)) return;
  for (const t of live) if (t.data.buffer === dead.data.buffer) return;
  if (disown(dead.data)) getBackend().release(dead.data);
}
