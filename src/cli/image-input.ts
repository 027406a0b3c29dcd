import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { caffePreprocess } from '../applications/preprocess.js';
import { IDENTITY_TRANSFORM } from '../data/affine.js';
import { type DirectoryIterator, flowImagesFromDirectory } from '../data/directory-iterator.js';
import { type ImageDataGenerator, imageDataGenerator } from '../data/image-data-generator.js';
import { imageLoad } from '../data/image-load.js';
import { classCounts, IMAGE_EXTENSIONS, listDirectory } from '../data/list-directory.js';
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
  /** How many classes the model tells apart: 2 gives 0/1 labels (a sigmoid), more one-hot rows (a softmax). Default 2. */
  classes?: number;
}

/** A label iterator over a class-per-folder directory, prepared for the model. */
export function flowFrom(dir: string, settings: FlowSettings): DirectoryIterator {
  requireFolder(dir);
  return flowImagesFromDirectory(dir, generatorFor(settings.preprocessing, settings.augment), {
    targetSize: settings.imageSize,
    batchSize: settings.batchSize,
    classMode: (settings.classes ?? 2) === 2 ? 'binary' : 'categorical',
    shuffle: settings.shuffle ?? false,
    ...(settings.seed === undefined ? {} : { seed: settings.seed }),
  });
}

/**
 * The number of class folders in `dir`; fails unless there are at least two, each with images:
 * a classifier trained without images of a class (an empty or misnamed folder) learns nothing
 * about it, without a word.
 */
export function requireClasses(dir: string): number {
  const listing = listDirectory(dir);
  const counts = classCounts(listing);
  if (counts.length < 2) {
    throw new InputError(`${dir}: expected at least 2 class folders, found ${counts.length} (${listing.classNames.join(', ')})`);
  }
  const empty = listing.classNames.filter((_, c) => counts[c] === 0);
  if (empty.length > 0) throw new InputError(`${dir}: class folder '${empty[0]}' has no images; a classifier needs images of every class`);
  return counts.length;
}

/** Fails with a one-line input error when `dir` is not an existing folder. */
export function requireFolder(dir: string, what = 'folder'): void {
  if (!existsSync(dir)) throw new InputError(`${what} not found: ${dir}`);
  if (!statSync(dir).isDirectory()) throw new InputError(`not a folder: ${dir} (expected a ${what})`);
}

/**
 * Loads image files into one batch [n, h, w, 3], prepared as the model expects, with the files
 * it holds. A file that does not decode is left out, its error in `skipped` (predict skips
 * them as training and evaluation do); the batch is null when none decodes.
 */
export async function loadImages(paths: readonly string[], imageSize: readonly [number, number],
  preprocessing: Preprocessing): Promise<{ batch: Tensor | null; loaded: string[]; skipped: string[] }> {
  const [h, w] = imageSize;
  const generator = generatorFor(preprocessing);
  const skipped: string[] = [];
  const images = await Promise.all(paths.map((path) => imageLoad(path, { targetSize: imageSize }).catch((error: Error) => {
    skipped.push(error.message.replace(/^imageLoad: /, ''));
    return null;
  })));
  const loaded = paths.filter((_, i) => images[i] !== null);
  if (loaded.length === 0) return { batch: null, loaded, skipped };
  const batch = new Float32Array(loaded.length * h * w * 3);
  images.filter((img) => img !== null).forEach((img, i) => {
    const slot = batch.subarray(i * h * w * 3, (i + 1) * h * w * 3);
    generator.prepareInto(img.data, h, w, 3, IDENTITY_TRANSFORM, slot);
  });
  return { batch: new Tensor(batch, [loaded.length, h, w, 3]), loaded, skipped };
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
