import type { TopLevelSpec } from 'vega-lite';
import type { HistoryFrame, HistoryRow } from './history-frame.js';
import { THEMES, type PlotTheme } from './themes.js';

/** What the spec needs besides the data: the size of one facet panel and the look. */
export interface HistorySpecOptions {
  /** Width of every panel, in pixels (the plot area, without axes and labels). */
  panelWidth: number;
  /** Height of each metric's panel, in pixels. */
  panelHeight: number;
  theme: PlotTheme;
}

/**
 * The vega-lite spec of R's `plot(history)` (ggplot2 method): one row per metric with the
 * metric name as a left strip, free y scales, points per series and optional loess curves.
 * Kept separate from rendering so a test or a notebook can inspect or reuse the spec.
 */
export function historySpec(frame: HistoryFrame, smooth: HistoryRow[], options: HistorySpecOptions): TopLevelSpec {
  const t = THEMES[options.theme];
  const series = [...new Set(frame.rows.map((r) => r.data))].sort();
  const x = {
    field: 'epoch', type: 'quantitative', title: 'epoch',
    // ggplot expands a continuous scale by 5 % on each side instead of rounding it.
    scale: { zero: false, nice: false, padding: 0.05 * options.panelWidth },
    axis: { tickMinStep: 1, format: 'd' },
  } as const;
  const y = {
    field: 'value', type: 'quantitative', title: null,
    scale: { zero: false, nice: false, padding: 0.05 * options.panelHeight },
  } as const;
  // An explicit symbol stroke: vega-lite makes the keys of filled marks outline-free otherwise.
  const legend = { title: 'data', encode: { symbols: { update: { stroke: { value: t.pointOutline }, strokeWidth: { value: 0.8 } } } } };
  // The curves stay out of the legend: merged into it, their colour and dash would replace the
  // keys' dark outline. A field of their own (`curve`) stops vega-lite from merging them.
  const colour = { field: 'curve', type: 'nominal', scale: { domain: series, range: series.map((s) => t.series[s].line) }, legend: null } as const;
  const layers: object[] = [];
  if (smooth.length > 0) {
    layers.push({
      transform: [{ filter: "datum.kind === 'smooth'" }, { calculate: 'datum.data', as: 'curve' }],
      mark: { type: 'line', strokeWidth: 2, interpolate: 'linear' },
      encoding: {
        x, y, color: colour,
        strokeDash: { field: 'curve', type: 'nominal', scale: { domain: series, range: series.map((s) => t.series[s].dash) }, legend: null },
      },
    });
  }
  layers.push({
    transform: [{ filter: "datum.kind === 'point'" }],
    mark: { type: 'point', filled: true, opacity: 1, size: 36, stroke: t.pointOutline, strokeWidth: 0.8 },
    encoding: {
      x, y,
      fill: { field: 'data', type: 'nominal', scale: { domain: series, range: series.map((s) => t.series[s].fill) }, legend },
      shape: { field: 'data', type: 'nominal', scale: { domain: series, range: series.map((s) => t.series[s].shape) }, legend },
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    // One table for both layers: a facet splits its parent's data, so layers cannot bring their own.
    data: { values: [...frame.rows.map((r) => ({ ...r, kind: 'point' })), ...smooth.map((r) => ({ ...r, kind: 'smooth' }))] },
    background: 'white',
    padding: 8,
    facet: {
      row: {
        field: 'metric', type: 'nominal', sort: frame.metrics,
        // The strip on the left doubles as the y title, as keras's `facet_grid(switch = 'y')` does.
        header: { title: null, labelOrient: 'left', labelAngle: -90, labelFontSize: 11, labelColor: 'black', labelPadding: 6 },
      },
    },
    spec: { width: options.panelWidth, height: options.panelHeight, layer: layers },
    resolve: { scale: { y: 'independent' } },
    spacing: 8,
    config: t.vegaConfig,
  } as TopLevelSpec;
}
