import type { DecodedImage } from './decoded-image.js';

/** 1 GiB: cats_and_dogs_small's 2000 training images at 150×150 RGB take 135 MB. */
export const DEFAULT_CACHE_BYTES = 1024 ** 3;

/**
 * Decoded, resized 8-bit images kept in memory within a byte budget, so epochs after the first
 * never decode a JPEG again. When full it keeps what it has and stops adding, rather than
 * evicting: epochs walk the whole data set in a cycle, where least-recently-used eviction would
 * miss on every read, while a fixed subset gives a hit rate of budget / data size.
 */
export class DecodeCache {
  private readonly images = new Map<number, DecodedImage>();
  private used = 0;

  constructor(readonly budgetBytes: number = DEFAULT_CACHE_BYTES) {
    if (!(budgetBytes >= 0)) throw new Error(`cacheBytes must be a number >= 0, got ${budgetBytes}`);
  }

  get(key: number): DecodedImage | undefined {
    return this.images.get(key);
  }

  /** Stores the image when it fits in the remaining budget; returns whether it was stored. */
  put(key: number, img: DecodedImage): boolean {
    if (this.images.has(key)) return true;
    if (this.used + img.data.byteLength > this.budgetBytes) return false;
    this.images.set(key, img);
    this.used += img.data.byteLength;
    return true;
  }

  get bytesUsed(): number {
    return this.used;
  }

  get size(): number {
    return this.images.size;
  }
}
