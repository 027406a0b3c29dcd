import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { caffePreprocess } from '../applications/preprocess.js';
import { type DirectoryIterator, flowImagesFromDirectory } from '../data/directory-iterator.js';
import { type ImageDataGenerator, imageDataGenerator } from '../data/image-data-generator.js';
import { imageLoad } from '../data/image-load.js';
import { IMAGE_EXTENSIONS } from '../data/list-directory.js';
import { Tensor } from '../tensor/tensor.js';
import { InputError } from './errors.js';
import type { Preprocessing } from './run-folder.js';

/** The lecture's augmentation for training from scratch with dropout. */
export const LECTURE_AUGMENTATION = {
  rotationRange: 40,
  widthShiftRange: 0.2,
  heightShiftRange: 0.2,
  shearRange: 0.2,
  zoomRange: 0.2,
  horizontalFlip: true,
} as const;

/** The generator that prepares images as a model expects them, with the lecture's augmentation when asked. */
export function generatorFor(preprocessing: Preprocessing, augment = false): ImageDataGenerator {
  return imageDataGenerator({
    ...(preprocessing === 'rescale' ? { rescale: 1 / 255 } : { preprocessingFunction: caffePreprocess }),
    ...(augment ? LECTURE_AUGMENTATION : {}),
  });
}

export interface FlowSettings {
  imageSize: readonly [number, number];
  preprocessing: Preprocessing;
  batchSize: number;
  augment?: boolean;
  shuffle?: boolean;
  seed?: number;
}

/** A binary-label iterator over a class-per-folder directory, prepared for the model. */
export function flowFrom(dir: string, settings: FlowSettings): DirectoryIterator {
  requireFolder(dir);
  return flowImagesFromDirectory(dir, generatorFor(settings.preprocessing, settings.augment), {
    targetSize: settings.imageSize,
    batchSize: settings.batchSize,
    classMode: 'binary',
    shuffle: settings.shuffle ?? false,
    ...(settings.seed === undefined ? {} : { seed: settings.seed }),
  });
}

/** Fails with a one-line input error when `dir` is not an existing folder. */
export function requireFolder(dir: string, what = 'folder'): void {
  if (!existsSync(dir)) throw new InputError(`${what} not found: ${dir}`);
  if (!statSync(dir).isDirectory()) throw new InputError(`not a folder: ${dir} (expected a ${what})`);
}

/**
 * Loads image files into one batch [n, h, w, 3], prepared as the model expects. A file that
 * does not decode is an input error naming it: predict never silently skips a file it was given.
 */
export async function loadImages(paths: readonly string[], imageSize: readonly [number, number],
  preprocessing: Preprocessing): Promise<Tensor> {
  const [h, w] = imageSize;
  const generator = generatorFor(preprocessing);
  const batch = new Float32Array(paths.length * h * w * 3);
  for (const [i, path] of paths.entries()) {
    const img = await imageLoad(path, { targetSize: imageSize }).catch((error: Error) => {
      throw new InputError(error.message);
    });
    const slot = batch.subarray(i * h * w * 3, (i + 1) * h * w * 3);
    slot.set(img.data);
    generator.standardizeInPlace(slot, h, w, 3);
  }
  return new Tensor(batch, [paths.length, h, w, 3]);
}

/** Files named on the command line, with folders expanded (recursively, sorted) to the images they hold. */
export function expandImagePaths(inputs: readonly string[]): string[] {
  return inputs.flatMap((input) => {
    if (!existsSync(input)) throw new InputError(`image or folder not found: ${input}`);
    if (!statSync(input).isDirectory()) return [input];
    const found = imagesUnder(input);
    if (found.length === 0) throw new InputError(`no images (${IMAGE_EXTENSIONS.join(', ')}) in folder ${input}`);
    return found;
  });
}

function imagesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1)).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return imagesUnder(path);
    const ext = entry.name.split('.').pop()!.toLowerCase();
    return entry.isFile() && IMAGE_EXTENSIONS.includes(ext) ? [path] : [];
  });
}
