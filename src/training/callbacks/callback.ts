import type { Model } from '../../models/model.js';

/** Values reported to callbacks: loss, metrics, and for batches `batch` and `size`. */
export type Logs = Record<string, number>;

/** What fit tells callbacks about the run (Keras's `params`). */
export interface FitParams {
  epochs: number;
  /** Batches per epoch (generators), or null when fit counts samples (arrays). */
  steps: number | null;
  samples: number | null;
  batchSize: number | null;
  verbose: 0 | 1 | 2;
  doValidation: boolean;
  /** Samples in array validation data, for the `Train on …, validate on …` line. */
  validationSamples: number | null;
  metrics: string[];
}

/**
 * A plain object with any of Keras's hook names. Hooks may be async; fit awaits them.
 * `model` and `params` are set before training begins.
 */
export interface Callback {
  model?: Model;
  params?: FitParams;
  onTrainBegin?(logs: Logs): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
  /** Ctrl-C stopped fit after a step of `epoch`; `logs` are the epoch's running means so far. */
  onInterrupt?(epoch: number, logs: Logs): void | Promise<void>;
}

type Hook = 'onTrainBegin' | 'onTrainEnd' | 'onEpochBegin' | 'onEpochEnd' | 'onBatchBegin' | 'onBatchEnd' | 'onInterrupt';

/** Calls a hook on every callback in order; accepts Keras's snake_case hook names too. */
export class CallbackList {
  constructor(readonly callbacks: Callback[]) {}

  setup(model: Model, params: FitParams): void {
    for (const c of this.callbacks) {
      c.model = model;
      c.params = params;
    }
  }

  async call(hook: Hook, ...args: [Logs] | [number, Logs]): Promise<void> {
    const snake = hook.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);
    for (const c of this.callbacks) {
      const fn = (c as Record<string, unknown>)[hook] ?? (c as Record<string, unknown>)[snake];
      if (typeof fn === 'function') await (fn as (...a: unknown[]) => unknown).apply(c, args);
    }
  }
}
