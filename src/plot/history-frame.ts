import type { History } from '../training/history.js';

/** Which curve a value belongs to: R's `data` factor. */
export type Series = 'training' | 'validation';

/** One row of R's `as.data.frame(history)`: a metric's value at one (1-based) epoch. */
export interface HistoryRow {
  epoch: number;
  value: number;
  metric: string;
  data: Series;
}

/** The long-format table plotHistory draws from, with the metric order of the facets. */
export interface HistoryFrame {
  rows: HistoryRow[];
  /** Names without `val_`, in order of first appearance (loss before acc). */
  metrics: string[];
  /** Epochs as plotted: the History's 0-based indices plus one. */
  epochs: number[];
}

/**
 * Reshapes a History into the long table that R's `plot(history)` facets (`epoch`, `value`,
 * `metric`, `data`), after checking it: a plot of misaligned arrays would silently shift curves.
 * Non-finite values (NaN loss after divergence) are dropped, as ggplot drops NA with `na.rm`.
 * @example historyFrame({ history: { loss: [0.9, 0.5] }, epoch: [0, 1], params }).metrics // ['loss']
 */
export function historyFrame(history: History): HistoryFrame {
  const where = 'plotHistory';
  if (!history || typeof history.history !== 'object' || !Array.isArray(history.epoch)) {
    throw new Error(`${where}: expected a History { history, epoch, params } as fit returns, got ${describe(history)}`);
  }
  const names = Object.keys(history.history);
  const n = history.epoch.length;
  if (names.length === 0 || n === 0) {
    throw new Error(`${where}: the history is empty (${names.length} metrics, ${n} epochs); train for at least one epoch first`);
  }
  for (const name of names) {
    const values = history.history[name]!;
    if (!Array.isArray(values) || values.length !== n) {
      const got = Array.isArray(values) ? `${values.length} values` : describe(values);
      throw new Error(`${where}: metric '${name}' has ${got} but the history has ${n} epochs; every metric needs one value per epoch`);
    }
  }
  const epochs = history.epoch.map((e) => e + 1);
  const metrics: string[] = [];
  const rows: HistoryRow[] = [];
  for (const name of names) {
    const isVal = name.startsWith('val_');
    const metric = isVal ? name.slice(4) : name;
    if (!metrics.includes(metric)) metrics.push(metric);
    history.history[name]!.forEach((value, i) => {
      if (Number.isFinite(value)) rows.push({ epoch: epochs[i]!, value, metric, data: isVal ? 'validation' : 'training' });
    });
  }
  return { rows, metrics, epochs };
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  return Array.isArray(x) ? 'an array' : typeof x;
}
