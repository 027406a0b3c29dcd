import type { Config } from 'vega-lite';
import type { Series } from './history-frame.js';

/** ggplot2's `theme_grey()` (R's default) or `theme_bw()` (keras's `theme_bw = TRUE`). */
export type PlotTheme = 'default' | 'bw';

/** How one series is drawn: point fill and shape, smooth-line colour and dash. */
export interface SeriesStyle {
  fill: string;
  shape: string;
  line: string;
  dash: number[];
}

/** @internal vega-lite's types stay out of the published declarations. */
export interface ThemeStyle {
  series: Record<Series, SeriesStyle>;
  pointOutline: string;
  vegaConfig: Config;
}

/** ggplot2's default discrete hues for two levels, `scales::hue_pal()(2)`. */
const HUE_RED = '#F8766D';
const HUE_CYAN = '#00BFC4';

/** Text and axes shared by both themes: ggplot's 11 pt base size, grey30 tick labels. */
const AXES = {
  labelColor: '#4D4D4D', labelFontSize: 10, titleFontSize: 11, titleFontWeight: 'normal', titleColor: 'black',
  tickColor: '#333333', domain: false, gridWidth: 1,
} as const;

const LEGEND = { titleFontSize: 11, titleFontWeight: 'normal', labelFontSize: 10, symbolSize: 60, orient: 'right' } as const;

/**
 * The two looks plotHistory offers. Colours are ggplot's, so a deeptype plot reads like the R
 * one in a lecture: grey panels with white grid in the default theme, white panels with a
 * dark border, greys, shapes and dashes in the black-and-white one.
 * @internal
 */
export const THEMES: Record<PlotTheme, ThemeStyle> = {
  default: {
    series: {
      training: { fill: HUE_RED, shape: 'circle', line: HUE_RED, dash: [1, 0] },
      validation: { fill: HUE_CYAN, shape: 'circle', line: HUE_CYAN, dash: [1, 0] },
    },
    pointOutline: 'black',
    vegaConfig: {
      font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
      view: { fill: '#EBEBEB', stroke: null },
      axis: { ...AXES, gridColor: 'white' },
      legend: LEGEND,
    },
  },
  bw: {
    series: {
      training: { fill: 'black', shape: 'circle', line: '#7F7F7F', dash: [1, 0] },
      validation: { fill: 'white', shape: 'triangle-up', line: '#7F7F7F', dash: [6, 4] },
    },
    pointOutline: 'black',
    vegaConfig: {
      font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
      view: { fill: 'white', stroke: '#333333' },
      axis: { ...AXES, gridColor: '#EBEBEB' },
      legend: LEGEND,
    },
  },
};
