export { plotHistory, type PlotHistoryOptions, type PlotFormat } from './history.js';
export { historyFrame, type HistoryFrame, type HistoryRow, type Series } from './history-frame.js';
export { historySpec, type HistorySpecOptions } from './history-spec.js';
export { loess, type LoessOptions } from './loess.js';
export { imageGrid, type GridImage, type ImageGridOptions } from './image-grid.js';
export type { PlotTheme } from './themes.js';
