import { join } from 'node:path';
import { getBackend } from '../backend/index.js';
import type { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import type { TransformParams } from './affine.js';
import type { BatchPlan } from './batch-order.js';
import { DecodeCache } from './decode-cache.js';
import { DEFAULT_MAX_PIXELS, decodeImageFile } from './decode.js';
import { type ColorMode, type DecodedImage, channelsOf, checkColorMode } from './decoded-image.js';
import { checkTargetSize } from './image-load.js';
import type { ImageDataGenerator } from './image-data-generator.js';
import { classCounts, type DirectoryListing, listDirectory } from './list-directory.js';
import { type Batch, PrefetchingIterator } from './prefetch-iterator.js';
import { type Interpolation, checkInterpolation, resizeImage } from './resize.js';
import { type ClassMode, checkClassMode, labelsFor } from './labels.js';

export interface FlowFromDirectoryOptions {
  /** [height, width] every image is resized to; default [256, 256]. */
  targetSize?: readonly [number, number];
  colorMode?: ColorMode;
  /** Class folder names in index order; default: all subfolders, sorted. */
  classes?: readonly string[] | null;
  /** Label form; default 'categorical'. null yields no labels. */
  classMode?: ClassMode;
  batchSize?: number;
  shuffle?: boolean;
  seed?: number;
  /** 'training' or 'validation', using the generator's validationSplit. */
  subset?: 'training' | 'validation' | null;
  interpolation?: Interpolation;
  followLinks?: boolean;
  /** What to do with a listed file that does not decode: 'skip' (default, warn once) or 'error'. */
  onBadImage?: 'skip' | 'error';
  /** Images with more pixels are refused (decompression bombs); default ~89.5 Mpx as Pillow. */
  maxPixels?: number;
  /** Byte budget for decoded, resized images kept in memory; default 1 GiB, 0 = off. */
  cacheBytes?: number;
}

/**
 * Keras's `flow_from_directory` iterator over a folder with one subfolder per class.
 * Listing happens once, up front; images are decoded when their batch is built.
 *
 * Unreadable files (corrupt, truncated, empty, not an image, over `maxPixels`, deleted after
 * listing): Keras raises mid-epoch. Here, with `onBadImage: 'skip'`, the file is dropped from
 * its batch — which comes out that much shorter rather than borrowing images from later
 * batches, so every pass still sees each readable image exactly once — one warning names it,
 * and it is left out of later batches without another try. A batch whose every file is bad is
 * replaced by the next one in `next()` (a training stream) and comes back empty from
 * `nextPlanned()` (one exact pass: evaluate, predict, validation, extractFeatures). With
 * 'error', `next()` rejects with an error naming the file.
 */
export class DirectoryIterator extends PrefetchingIterator {
  readonly directory: string;
  readonly classIndices: Readonly<Record<string, number>>;
  readonly numClasses: number;
  /** Paths relative to `directory`, in sample order. */
  readonly filenames: readonly string[];
  readonly filepaths: readonly string[];
  /** Class index per sample. */
  readonly classes: Int32Array;
  readonly targetSize: readonly [number, number];
  readonly colorMode: ColorMode;
  readonly classMode: ClassMode;
  readonly imageShape: readonly [number, number, number];
  /** Indices of files found unreadable so far. */
  readonly badImages = new Set<number>();
  private readonly cache: DecodeCache;
  private readonly pending = new Map<number, Promise<DecodedImage | null>>();

  constructor(directory: string, readonly generator: ImageDataGenerator, private readonly options: FlowFromDirectoryOptions = {}) {
    const where = 'flowImagesFromDirectory';
    const targetSize = checkTargetSize(options.targetSize ?? [256, 256], where);
    const colorMode = checkColorMode(options.colorMode ?? 'rgb', where);
    const classMode = checkClassMode(options.classMode === undefined ? 'categorical' : options.classMode, where);
    checkInterpolation(options.interpolation ?? 'nearest', where);
    if (options.onBadImage !== undefined && options.onBadImage !== 'skip' && options.onBadImage !== 'error') {
      throw new Error(`${where}: onBadImage must be 'skip' or 'error', got ${JSON.stringify(options.onBadImage)}`);
    }
    const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
    if (!Number.isInteger(maxPixels) || maxPixels < 1) throw new Error(`${where}: maxPixels must be a positive integer, got ${maxPixels}`);
    const listing = listDirectory(directory, {
      classes: options.classes ?? null,
      followLinks: options.followLinks ?? false,
      split: splitFor(options.subset ?? null, generator.validationSplit, where),
    });
    super(listing.filenames.length, options.batchSize ?? 32, options.shuffle ?? true, options.seed);
    this.directory = directory;
    this.classIndices = Object.fromEntries(listing.classNames.map((name, i) => [name, i]));
    this.numClasses = listing.classNames.length;
    this.filenames = listing.filenames;
    this.filepaths = listing.filenames.map((f) => join(directory, f));
    this.classes = listing.classes;
    this.targetSize = targetSize;
    this.colorMode = colorMode;
    this.classMode = classMode;
    this.imageShape = [targetSize[0], targetSize[1], channelsOf(colorMode)];
    this.cache = new DecodeCache(options.cacheBytes);
    warnAboutListing(where, directory, listing);
    if (listing.filenames.some((f) => /\.tiff$/i.test(f))) {
      console.warn(`${where}: using '.tiff' files with multiple bands will cause distortion; please verify your output`);
    }
    console.log(`Found ${this.samples} images belonging to ${this.numClasses} classes.`);
  }

  protected async build(plan: BatchPlan): Promise<Batch | null> {
    return (await this.readSamples(plan.indices, plan.rng)).batch;
  }

  protected override onUnreadableBatch(): void {
    if (this.badImages.size >= this.samples) {
      throw new Error(`flowImagesFromDirectory: none of the ${this.samples} images in '${this.directory}' could be read`);
    }
  }

  /**
   * The batch of exactly the samples `indices` that can be read (augmented with draws from
   * `rng`), and which samples those are; batch null when none can. Unlike `next()`, an
   * unreadable batch is not replaced by the next one, so a caller walking the files once in
   * order (evaluation, a report) pairs every output with its file.
   */
  async readSamples(indices: readonly number[], rng: Random): Promise<{ batch: Batch | null; indices: number[] }> {
    // Draw every image's parameters now, in sample order, before any await.
    const params = indices.map(() => this.generator.getRandomTransform(this.imageShape, rng));
    const images = await Promise.all(indices.map((i) => this.load(i)));
    const kept = indices.flatMap((index, j) => (images[j] ? [{ index, img: images[j]!, params: params[j]! }] : []));
    return { batch: kept.length > 0 ? this.assemble(kept) : null, indices: kept.map((k) => k.index) };
  }

  private assemble(kept: { index: number; img: DecodedImage; params: TransformParams }[]): Batch {
    const [h, w, c] = this.imageShape;
    // From the backend's allocator, whose memory the garbage collector hands back still mapped:
    // a fresh JS buffer would fault its pages in during the warp, batch after batch.
    const x = getBackend().alloc(kept.length * h * w * c, 'flowImagesFromDirectory');
    this.generator.prepareBatchInto(kept.map((k) => k.img.data), h, w, c, kept.map((k) => k.params), x);
    const images = new Tensor(x, [kept.length, h, w, c]);
    return [images, labelsFor(this.classMode, kept.map((k) => this.classes[k.index]!), this.numClasses, images)];
  }

  /** The resized 8-bit image for sample i, from the cache or decoded; null when unreadable. */
  private load(i: number): Promise<DecodedImage | null> {
    if (this.badImages.has(i)) return Promise.resolve(null);
    const cached = this.cache.get(i);
    if (cached) return Promise.resolve(cached);
    const inFlight = this.pending.get(i);
    if (inFlight) return inFlight;
    const [h, w] = this.targetSize;
    const work = decodeImageFile(this.filepaths[i]!, { colorMode: this.colorMode, maxPixels: this.options.maxPixels ?? DEFAULT_MAX_PIXELS })
      .then((img) => {
        const resized = resizeImage(img, h, w, this.options.interpolation ?? 'nearest');
        this.cache.put(i, resized);
        return resized;
      }, (err: Error) => {
        if (this.options.onBadImage === 'error') throw new Error(`flowImagesFromDirectory: ${err.message}`);
        if (!this.badImages.has(i)) console.warn(`flowImagesFromDirectory: skipping unreadable image ${err.message}`);
        this.badImages.add(i);
        return null;
      })
      .finally(() => this.pending.delete(i));
    this.pending.set(i, work);
    return work;
  }

  /** Decoded images held in memory and their bytes (for monitoring the cache budget). */
  get cacheStats(): { images: number; bytes: number } {
    return { images: this.cache.size, bytes: this.cache.bytesUsed };
  }
}

/** One warning naming what the listing left out, one naming class folders that hold no image. */
function warnAboutListing(where: string, directory: string, listing: DirectoryListing): void {
  const { skipped } = listing;
  if (skipped.length > 0) {
    const shown = skipped.slice(0, 5).map((s) => `'${s.path}' (${s.why})`).join(', ');
    console.warn(`${where}: skipped ${skipped.length} ${skipped.length === 1 ? 'entry' : 'entries'} of '${directory}': ${shown}` +
      `${skipped.length > 5 ? `, and ${skipped.length - 5} more` : ''}`);
  }
  const counts = classCounts(listing);
  const empty = listing.classNames.filter((_, i) => counts[i] === 0);
  if (empty.length > 0) {
    const [s, have, rest] = empty.length > 1 ? ['s', 'have', 'their class indices stay, but no sample has them']
      : ['', 'has', 'its class index stays, but no sample has it'];
    console.warn(`${where}: class folder${s} ${empty.map((n) => `'${n}'`).join(', ')} of '${directory}' ${have} no images; ${rest}`);
  }
}

function splitFor(subset: string | null, validationSplit: number, where: string): [number, number] | null {
  if (subset === null) return null;
  if (subset !== 'training' && subset !== 'validation') {
    throw new Error(`${where}: invalid subset ${JSON.stringify(subset)}; expected 'training' or 'validation'`);
  }
  if (validationSplit === 0) {
    throw new Error(`${where}: subset '${subset}' needs a generator made with imageDataGenerator({ validationSplit }) > 0`);
  }
  return subset === 'validation' ? [0, validationSplit] : [validationSplit, 1];
}

/**
 * Batches of augmented images from a class-per-folder tree, like R's
 * `flow_images_from_directory()`. Prints "Found N images belonging to K classes.".
 * @example
 * const train = flowImagesFromDirectory('data/train', imageDataGenerator({ rescale: 1 / 255 }),
 *   { targetSize: [150, 150], batchSize: 20, classMode: 'binary' });
 * const [x, y] = await train.next();   // x [20, 150, 150, 3] in [0, 1], y [20]
 */
export function flowImagesFromDirectory(directory: string, generator: ImageDataGenerator,
  options: FlowFromDirectoryOptions = {}): DirectoryIterator {
  return new DirectoryIterator(directory, generator, options);
}
