import type { Callback, FitParams, Logs } from './callbacks/callback.js';

/** What fit returns: per-epoch values by metric name, the epochs run and the run's params. */
export interface History {
  /** e.g. { loss: [...], acc: [...], val_loss: [...], val_acc: [...] } */
  history: Record<string, number[]>;
  /** 0-based epoch indices that ran (initialEpoch onwards). */
  epoch: number[];
  params: FitParams;
}

/** The callback fit always adds first: it records each epoch's logs. */
export class HistoryRecorder implements Callback {
  params?: FitParams;
  readonly history: Record<string, number[]> = {};
  readonly epoch: number[] = [];

  onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [name, value] of Object.entries(logs)) (this.history[name] ??= []).push(value);
  }

  result(): History {
    return { history: this.history, epoch: this.epoch, params: this.params! };
  }
}
