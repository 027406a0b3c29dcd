import { rngFor } from '../tensor/random.js';
import type { DecodedImage } from './decoded-image.js';
import type { ImageDataGenerator } from './image-data-generator.js';
import { imageLoad } from './image-load.js';
import { saveImage } from './image-save.js';

export interface PreviewOptions {
  /** Number of augmented variants; default 4 (the lecture's 2×2 figure). */
  n?: number;
  /** Image file to write, PNG or JPEG as its extension says; without it the grid is only returned. */
  file?: string;
  /** Size each variant is loaded at, [height, width]; default [150, 150] as in the lecture. */
  targetSize?: readonly [number, number];
  seed?: number;
}

const GAP = 4;

/**
 * Draws n randomly augmented variants of one image in a grid (columns = ceil(√n)) on white,
 * like the lecture's figure of augmented cats. Only the augmentation is shown: the
 * standardization steps (rescale, centring) would not change the picture or would make it
 * unviewable.
 * @example await augmentationPreview('train/cats/cat.3.jpg', gen, { n: 4, file: 'augmented.png' });
 */
export async function augmentationPreview(imagePath: string, generator: ImageDataGenerator,
  options: PreviewOptions = {}): Promise<DecodedImage> {
  const n = options.n ?? 4;
  if (!Number.isInteger(n) || n < 1) throw new Error(`augmentationPreview: n must be a positive integer, got ${n}`);
  const img = await imageLoad(imagePath, { targetSize: options.targetSize ?? [150, 150] });
  const { height: h, width: w, channels: c } = img;
  const cols = Math.ceil(Math.sqrt(n));
  const rowsN = Math.ceil(n / cols);
  const gw = cols * w + (cols - 1) * GAP;
  const gh = rowsN * h + (rowsN - 1) * GAP;
  const grid = new Uint8Array(gw * gh * c).fill(255);
  const rng = rngFor(options.seed);
  const tile = new Float32Array(img.data.length);
  for (let k = 0; k < n; k++) {
    generator.transformInto(img.data, h, w, c, generator.getRandomTransform([h, w, c], rng), tile);
    const top = Math.floor(k / cols) * (h + GAP);
    const left = (k % cols) * (w + GAP);
    for (let r = 0; r < h; r++) {
      for (let i = 0; i < w * c; i++) {
        const v = tile[r * w * c + i]!;
        grid[((top + r) * gw + left) * c + i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
      }
    }
  }
  const out: DecodedImage = { data: grid, height: gh, width: gw, channels: c };
  if (options.file) await saveImage(out, options.file);
  return out;
}
