import { extname } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { History } from '../training/history.js';
import { renderAtSize } from './fit-size.js';
import { historyFrame, type HistoryRow } from './history-frame.js';
import { historySpec } from './history-spec.js';
import { svgToPng } from './render.js';
import { smoothCurves } from './smooth-curves.js';
import type { PlotTheme } from './themes.js';

export type PlotFormat = 'png' | 'svg';

export interface PlotHistoryOptions {
  /** File to write; its folder must exist. */
  file: string;
  /** Default: from the extension of `file` (.png or .svg). */
  format?: PlotFormat;
  /** Add a loess curve per series (R's `smooth = TRUE`); drawn only from 10 epochs on. Default true. */
  smooth?: boolean;
  /** Whole image width in CSS pixels (SVG units); default 640. */
  width?: number;
  /** Whole image height in CSS pixels; default 120 + 180 per metric (480 for loss and acc). */
  height?: number;
  /** 'default' is ggplot's grey theme; 'bw' is keras's `theme_bw = TRUE` look. */
  theme?: PlotTheme;
  /** PNG pixels per CSS pixel; default 2, so a 640×480 plot is a crisp 1280×960 PNG. */
  scale?: number;
}

/** R plots no smooth for shorter runs: loess on a handful of points only wiggles. */
const MIN_SMOOTH_EPOCHS = 10;

/**
 * Draws a training history as R's `plot(history)` does with ggplot2 — one panel per metric
 * (loss on top, then accuracy and the others), training and validation points in ggplot's
 * hues and a loess curve per series — and writes it as PNG or SVG. Use it after `fit` to see
 * at a glance whether and when the model started to overfit.
 * @returns the path written.
 * @example await plotHistory(history, 'history.png');
 * @example await plotHistory(history, { file: 'history.svg', smooth: false, theme: 'bw' });
 */
export async function plotHistory(history: History, target: string | PlotHistoryOptions): Promise<string> {
  const options = typeof target === 'string' ? { file: target } : target;
  if (!options || typeof options.file !== 'string' || options.file === '') {
    throw new Error(`plotHistory: expected a file path or { file, ... }, got ${JSON.stringify(target)}`);
  }
  const format = formatOf(options);
  const theme = options.theme ?? 'default';
  if (theme !== 'default' && theme !== 'bw') throw new Error(`plotHistory: theme must be 'default' or 'bw', got ${JSON.stringify(theme)}`);
  const frame = historyFrame(history);
  const rows = frame.metrics.length;
  const width = Math.round(positive('width', options.width ?? 640));
  const height = Math.round(positive('height', options.height ?? 120 + 180 * rows));
  const scale = positive('scale', options.scale ?? 2);
  const smooth: HistoryRow[] = (options.smooth ?? true) && frame.epochs.length >= MIN_SMOOTH_EPOCHS ? smoothCurves(frame.rows) : [];
  const { svg } = await renderAtSize((panelWidth, panelHeight) => historySpec(frame, smooth, { panelWidth, panelHeight, theme }),
    width, height, rows);
  const bytes = format === 'svg' ? Buffer.from(svg) : await svgToPng(svg, scale);
  await writeFileAtomic(options.file, bytes);
  return options.file;
}

function formatOf(options: PlotHistoryOptions): PlotFormat {
  if (options.format === 'png' || options.format === 'svg') return options.format;
  if (options.format !== undefined) throw new Error(`plotHistory: format must be 'png' or 'svg', got ${JSON.stringify(options.format)}`);
  const ext = extname(options.file).toLowerCase();
  if (ext === '.png' || ext === '.svg') return ext.slice(1) as PlotFormat;
  throw new Error(`plotHistory: cannot tell the format of '${options.file}' from its extension; use .png or .svg, or pass { format: 'png' | 'svg' }`);
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`plotHistory: ${name} must be a positive number, got ${value}`);
  return value;
}
