import { checkAllocation } from '../allocation.js';

/**
 * A free list per buffer length. Training steps repeat the same shapes, so after the first
 * step every activation and gradient buffer is a recycled one and no fresh page is touched.
 */
const MAX_FREE_PER_SIZE = 64;
const freeLists = new Map<number, Float32Array[]>();

export function alloc(size: number, op = 'alloc'): Float32Array {
  const recycled = freeLists.get(size)?.pop();
  if (recycled) return recycled;
  checkAllocation(size, op);
  return new Float32Array(size);
}

export function release(buffer: Float32Array): void {
  let list = freeLists.get(buffer.length);
  if (!list) freeLists.set(buffer.length, (list = []));
  if (list.length < MAX_FREE_PER_SIZE && !list.includes(buffer)) list.push(buffer);
}
