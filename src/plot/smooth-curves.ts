import type { HistoryRow } from './history-frame.js';
import { loess } from './loess.js';

/** How many x values geom_smooth evaluates its fit at (its `n = 80`). */
const POINTS = 80;

/**
 * The loess curve of each (metric, series) group, as `geom_smooth(method = 'loess', se = FALSE)`
 * draws it: 80 evenly spaced epochs over the group's own range. A group too small for loess
 * is left without a curve, as ggplot leaves it (with a warning) instead of failing the plot.
 */
export function smoothCurves(rows: readonly HistoryRow[]): HistoryRow[] {
  const groups = new Map<string, HistoryRow[]>();
  for (const row of rows) {
    const key = `${row.metric}\u0000${row.data}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const curves: HistoryRow[] = [];
  for (const group of groups.values()) {
    const x = group.map((r) => r.epoch);
    const lo = Math.min(...x);
    const hi = Math.max(...x);
    // loess needs degree + 1 = 3 points in a 0.75 neighbourhood, i.e. at least 4 points.
    if (Math.floor(group.length * 0.75) < 3 || hi === lo) continue;
    const xs = Array.from({ length: POINTS }, (_, i) => lo + ((hi - lo) * i) / (POINTS - 1));
    const ys = loess(x, group.map((r) => r.value), xs);
    const { metric, data } = group[0]!;
    xs.forEach((epoch, i) => curves.push({ epoch, value: ys[i]!, metric, data }));
  }
  return curves;
}
