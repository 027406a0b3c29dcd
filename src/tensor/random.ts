/**
 * The one seeded random source behind initialisers, shuffling, dropout and augmentation.
 * `setSeed(n)` makes a whole run repeatable; without it the seed comes from the clock.
 */
/** mulberry32's state after one step. */
const advance = (state: number): number => (state + 0x6d2b79f5) >>> 0;

/** mulberry32's 32 output bits for a state. */
function output(state: number): number {
  let t = Math.imul(state ^ (state >>> 15), state | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1): mulberry32, small and good enough for ML sampling. */
  next(): number {
    this.state = advance(this.state);
    return output(this.state) / 4294967296;
  }

  /**
   * out[i] = next() >= rate ? keep : 0 for every i, drawing as many values as next() would, in
   * the same order: a dropout mask, without a call per value (the state stays in a local).
   */
  fillMask(out: Float32Array, rate: number, keep: number): void {
    const threshold = rate * 4294967296;  // next() >= rate ⟺ its 32 bits >= rate·2³², exactly
    let state = this.state;
    for (let i = 0; i < out.length; i++) {
      state = advance(state);
      out[i] = output(state) >= threshold ? keep : 0;
    }
    this.state = state;
  }

  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Standard normal by Box–Muller. */
  normal(): number {
    let u = this.next();
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): number[] {
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [p[i], p[j]] = [p[j]!, p[i]!];
    }
    return p;
  }

  /** A child generator, so one consumer's draws do not shift another's. */
  fork(): Random {
    return new Random(Math.floor(this.next() * 4294967296));
  }
}

let globalRandom = new Random(Date.now() % 4294967296);

/** Seeds initialisation, shuffling and dropout for the rest of the process. */
export function setSeed(seed: number): void {
  if (!Number.isFinite(seed)) throw new Error(`setSeed: expected a finite number, got ${seed}`);
  globalRandom = new Random(seed);
}

export function globalRng(): Random {
  return globalRandom;
}

/** A generator for an optional explicit seed, else a fork of the global one. */
export function rngFor(seed?: number): Random {
  return seed === undefined ? globalRandom.fork() : new Random(seed);
}
