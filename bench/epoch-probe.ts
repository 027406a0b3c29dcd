/**
 * Where a fit epoch's wall time goes, measured inside the run: wrapped functions report their
 * exclusive time (a wrapped call inside another counts only for the inner one) to the phase the
 * epoch is in — training steps, or validation after the last step — and whatever no wrapper
 * saw is the JS between them (autograd, loss, optimizer bookkeeping, callbacks, the event loop).
 */
import type { Callback } from '../src/training/callbacks/callback.js';

export type Phase = 'train' | 'validation';

/** Milliseconds per part of one phase of one epoch; `wall` is the phase's elapsed time. */
export type Parts = Record<string, number> & { wall: number };

export interface EpochParts {
  epoch: number;
  seconds: number;
  train: Parts;
  validation: Parts;
}

interface Frame {
  start: number;
  children: number;
}

export class EpochProbe {
  readonly epochs: EpochParts[] = [];
  private phase: Phase | null = null;
  private phaseStart = 0;
  private epochStart = 0;
  private current: Record<Phase, Parts> = { train: { wall: 0 }, validation: { wall: 0 } };
  private readonly stack: Frame[] = [];
  /** Milliseconds of outermost wrapped calls so far (wrapWait subtracts what ran during a wait). */
  private seenSoFar = 0;

  /** Replaces `target[method]` by a timed version counted as `part`. */
  wrap(target: object, method: string, part: string): void {
    const object = target as Record<string, unknown>;
    const original = object[method];
    if (typeof original !== 'function') throw new Error(`EpochProbe: ${method} is not a function`);
    const probe = this;
    object[method] = function (this: unknown, ...args: unknown[]): unknown {
      probe.stack.push({ start: performance.now(), children: 0 });
      try {
        return original.apply(this, args);
      } finally {
        probe.exit(part);
      }
    };
  }

  /** Every function-valued property of a backend object, each counted as 'kernels'. */
  wrapAll(target: object, part: string): void {
    for (const [name, value] of Object.entries(target)) if (typeof value === 'function') this.wrap(target, name, part);
  }

  /**
   * An async method's time from call to settlement minus the wrapped work that ran meanwhile:
   * for an iterator's next(), the time a step waited for its batch (decoding in the first epoch).
   */
  wrapWait(target: object, method: string, part: string): void {
    const object = target as Record<string, unknown>;
    const original = object[method] as (...args: unknown[]) => Promise<unknown>;
    const probe = this;
    object[method] = async function (this: unknown, ...args: unknown[]): Promise<unknown> {
      const seen = probe.seenSoFar;
      const t0 = performance.now();
      try {
        return await original.apply(this, args);
      } finally {
        probe.add(part, performance.now() - t0 - (probe.seenSoFar - seen));
      }
    };
  }

  /** fit's callbacks mark the phases: steps from epoch begin to the last batch end, then validation. */
  callback(stepsPerEpoch: number): Callback {
    return {
      onEpochBegin: () => {
        this.current = { train: { wall: 0 }, validation: { wall: 0 } };
        this.epochStart = performance.now();
        this.enter('train');
      },
      onBatchEnd: (step: number) => {
        if (step === stepsPerEpoch - 1) this.enter('validation');
      },
      onEpochEnd: (epoch: number) => {
        this.enter(null);
        this.epochs.push({ epoch: epoch + 1, seconds: (performance.now() - this.epochStart) / 1000, ...this.current });
      },
    };
  }

  private enter(phase: Phase | null): void {
    const now = performance.now();
    if (this.phase) this.current[this.phase].wall += now - this.phaseStart;
    this.phase = phase;
    this.phaseStart = now;
  }

  private exit(part: string): void {
    const frame = this.stack.pop()!;
    const elapsed = performance.now() - frame.start;
    const parent = this.stack.at(-1);
    if (parent) parent.children += elapsed;
    this.add(part, elapsed - frame.children);
    if (!parent) this.seenSoFar += elapsed;
  }

  private add(part: string, ms: number): void {
    if (!this.phase) return;
    const parts = this.current[this.phase];
    parts[part] = (parts[part] ?? 0) + ms;
  }
}
