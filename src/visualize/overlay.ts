import type { DecodedImage } from '../data/decoded-image.js';
import { Tensor } from '../tensor/tensor.js';
import type { Heatmap } from './grad-cam.js';
import { resizeBilinear } from './model-image.js';

export type Colormap = 'jet';

export interface OverlayOptions {
  /** Weight of the coloured heatmap over the photo; default 0.4, as the book. */
  alpha?: number;
  colormap?: Colormap;
}

/** The jet colormap (MATLAB's, as matplotlib's): dark blue at 0, through cyan, yellow, to dark red at 1. */
export function jet(v: number): [number, number, number] {
  const t = Math.min(Math.max(v, 0), 1) * 4;
  const ramp = (center: number): number => Math.round(255 * Math.min(Math.max(1.5 - Math.abs(t - center), 0), 1));
  return [ramp(3), ramp(2), ramp(1)];
}

/** The heatmap alone, coloured and resized (bilinear) to width × height: the book's heatmap.png. */
export function heatmapImage(heatmap: Heatmap, width = heatmap.width, height = heatmap.height,
  options: Pick<OverlayOptions, 'colormap'> = {}): DecodedImage {
  if ((options.colormap ?? 'jet') !== 'jet') throw new Error(`overlayHeatmap: colormap must be 'jet', got '${options.colormap}'`);
  const values = resizeBilinear(heatmap.data, heatmap.height, heatmap.width, 1, height, width);
  const data = new Uint8Array(width * height * 3);
  values.forEach((v, i) => data.set(jet(v), i * 3));
  return { data, width, height, channels: 3 };
}

/**
 * A photo with a Grad-CAM heatmap laid over it, as the book's figure: the heatmap resized to
 * the photo, coloured with `colormap`, and blended as photo × (1 − alpha) + colour × alpha.
 * `image` is the photo as loaded (8-bit, or a tensor [h, w, 3] of 0..255 values), at any size.
 * @example await saveImage(overlayHeatmap(await imageLoad('cat.jpg'), heat), 'overlay.png');
 */
export function overlayHeatmap(image: DecodedImage | Tensor, heatmap: Heatmap, options: OverlayOptions = {}): DecodedImage {
  const alpha = options.alpha ?? 0.4;
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`overlayHeatmap: alpha must be in [0, 1], got ${alpha}`);
  const [height, width, channels] = image instanceof Tensor ? image.shape.slice(-3) : [image.height, image.width, image.channels];
  if (channels !== 3 && channels !== 1) throw new Error(`overlayHeatmap: expected an RGB or grayscale photo, got ${channels} channels`);
  const photo = image.data;
  const colour = heatmapImage(heatmap, width, height, options).data;
  const data = new Uint8Array(width! * height! * 3);
  for (let p = 0; p < width! * height!; p++) {
    for (let k = 0; k < 3; k++) {
      const v = photo[channels === 3 ? p * 3 + k : p]!;
      data[p * 3 + k] = Math.round(Math.min(255, Math.max(0, v * (1 - alpha) + colour[p * 3 + k]! * alpha)));
    }
  }
  return { data, width: width!, height: height!, channels: 3 };
}
