import { Tensor } from '../tensor/tensor.js';
import { type ColorMode, type DecodedImage, checkColorMode } from './decoded-image.js';
import { decodeImageFile } from './decode.js';
import { type Interpolation, checkInterpolation, resizeImage } from './resize.js';

export interface ImageLoadOptions {
  /** [height, width]; the image is resized to exactly this (aspect ratio not kept). */
  targetSize?: readonly [number, number] | null;
  colorMode?: ColorMode;
  /** Pillow filter used when resizing; Keras's default is 'nearest'. */
  interpolation?: Interpolation;
  /** Refuse images with more pixels than this (decompression-bomb guard). */
  maxPixels?: number;
}

/** Validates a `targetSize` option: two positive integers, [height, width]. */
export function checkTargetSize(size: unknown, where: string): [number, number] {
  if (!Array.isArray(size) || size.length !== 2 || !size.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`${where}: targetSize must be [height, width] with positive integers, got ${JSON.stringify(size)}`);
  }
  return [size[0] as number, size[1] as number];
}

/**
 * Loads an image file as Keras's `image_load()` / `load_img()` does: decode, convert to the
 * colour mode, resize to `targetSize` with Pillow's filter (nearest by default).
 * @example
 * const img = await imageLoad('cats/cat.1.jpg', { targetSize: [150, 150] });
 * const x = imageToArray(img);   // Tensor [150, 150, 3], values 0..255
 */
export async function imageLoad(path: string, options: ImageLoadOptions = {}): Promise<DecodedImage> {
  const colorMode = checkColorMode(options.colorMode ?? 'rgb', 'imageLoad');
  const interpolation = checkInterpolation(options.interpolation ?? 'nearest', 'imageLoad');
  const target = options.targetSize == null ? null : checkTargetSize(options.targetSize, 'imageLoad');
  const img = await decodeImageFile(path, { colorMode, ...(options.maxPixels !== undefined ? { maxPixels: options.maxPixels } : {}) })
    .catch((e: Error) => {
      throw new Error(`imageLoad: ${e.message}`);
    });
  return target ? resizeImage(img, target[0], target[1], interpolation) : img;
}

/**
 * A decoded image as a float32 Tensor [height, width, channels] with values 0..255, like
 * Keras's `image_to_array()` (channels last).
 */
export function imageToArray(img: DecodedImage): Tensor {
  return new Tensor(Float32Array.from(img.data), [img.height, img.width, img.channels]);
}
