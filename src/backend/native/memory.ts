import { checkAllocation } from '../allocation.js';

/**
 * Float32Arrays over the addon's pooled native memory, recycled in JS.
 *
 * Why native memory rather than JS-allocated ArrayBuffers pooled in JS: a buffer the engine
 * never releases is freed by the GC either way, but a JS ArrayBuffer's pages then go back to
 * the OS and the next step faults fresh ones in (~12 µs per 4 KiB page here), while the
 * addon's deleter returns the block to its pool, still mapped (huge pages for large ones).
 * Released buffers stay in a JS free list rather than going back to native memory at once:
 * the Float32Array object still exists, and a second view onto recycled memory would alias.
 */
const MAX_FREE_PER_SIZE = 64;

export class NativeBufferPool {
  private readonly free = new Map<number, Float32Array[]>();
  /** Buffers this pool handed out: release() ignores anything else. */
  private readonly owned = new WeakSet<Float32Array>();
  /** Buffers sitting in a free list: a second release() of one is ignored, not double-booked. */
  private readonly idle = new WeakSet<Float32Array>();

  constructor(private readonly allocNative: (size: number) => Float32Array) {}

  /** A buffer of `size` floats; a size that cannot be had is a RangeError naming `op` and the bytes. */
  alloc(size: number, op = 'alloc'): Float32Array {
    checkAllocation(size, op);
    if (size === 0) return new Float32Array(0);
    const recycled = this.free.get(size)?.pop();
    if (recycled) {
      this.idle.delete(recycled);
      return recycled;
    }
    let fresh: Float32Array;
    try {
      fresh = this.allocNative(size);
    } catch (e) {
      // The addon says "alloc: cannot allocate N bytes of native memory"; the op is known here.
      throw e instanceof RangeError ? new RangeError(e.message.replace(/^alloc:/, `${op}:`)) : e;
    }
    this.owned.add(fresh);
    return fresh;
  }

  release(buffer: Float32Array): void {
    if (!this.owned.has(buffer) || this.idle.has(buffer)) return;
    let list = this.free.get(buffer.length);
    if (!list) this.free.set(buffer.length, (list = []));
    if (list.length >= MAX_FREE_PER_SIZE) return;  // dropped: the GC hands it back to the native pool
    list.push(buffer);
    this.idle.add(buffer);
  }
}
