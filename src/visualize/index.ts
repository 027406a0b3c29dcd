/** Seeing inside a convnet: activations, filter patterns, Grad-CAM heatmaps. */
export { activations, plotActivations, type ActivationsOptions, type PlotActivationsOptions } from './activations.js';
export { visualizeFilter, plotFilters, type FilterPattern, type PlotFiltersOptions, type VisualizeFilterOptions } from './filters.js';
export { gradCam, type GradCamOptions, type Heatmap } from './grad-cam.js';
export { heatmapImage, overlayHeatmap, type Colormap, type OverlayOptions } from './overlay.js';
