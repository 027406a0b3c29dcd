import { rename, rm, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import sharp from 'sharp';
import { prepareAtomicWrite, writeFailure } from '../io/write-target.js';
import type { Tensor } from '../tensor/tensor.js';
import type { DecodedImage } from './decoded-image.js';

export type ImageFormat = 'png' | 'jpeg';

export interface SaveImageOptions {
  /**
   * Keras's `scale`: shift so the minimum is not negative, divide by the maximum, × 255 —
   * so both 0..1 and 0..255 arrays save as full-range pictures. false: values are taken as
   * 0..255 and clipped.
   */
  scale?: boolean;
  /** Default: from the file extension (.png, .jpg, .jpeg). */
  format?: ImageFormat;
  /** JPEG quality 1..100 (default 90). */
  quality?: number;
}

/** A Tensor [h, w, c] (c = 1, 3 or 4) as 8-bit pixels, following Keras's `array_to_img`. */
export function arrayToImage(x: Tensor, scale = true): DecodedImage {
  const [h, w, c] = x.shape as [number, number, number];
  if (x.rank !== 3 || ![1, 3, 4].includes(c)) {
    throw new Error(`arrayToImage: expected a Tensor [height, width, 1|3|4], got [${x.shape.join(', ')}]`);
  }
  const src = x.data;
  let shift = 0;
  let factor = 1;
  if (scale) {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < src.length; i++) {
      if (src[i]! < min) min = src[i]!;
      if (src[i]! > max) max = src[i]!;
    }
    shift = Math.max(-min, 0);
    const top = max + shift;
    factor = top !== 0 ? 255 / top : 1;
  }
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = (src[i]! + shift) * factor;
    out[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.trunc(v);
  }
  return { data: out, height: h, width: w, channels: c as 1 | 3 | 4 };
}

/** PNG or JPEG bytes for 8-bit pixels. */
export async function encodeImage(img: DecodedImage, format: ImageFormat, quality = 90): Promise<Buffer> {
  const s = sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } });
  return format === 'png' ? s.png().toBuffer() : s.jpeg({ quality }).toBuffer();
}

/**
 * Writes bytes through a temporary file in the same folder and a rename, so a crash never
 * leaves a half-written file under the final name.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = prepareAtomicWrite(path);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw writeFailure(path, e);
  }
}

function formatFor(path: string, format: ImageFormat | undefined): ImageFormat {
  if (format === 'png' || format === 'jpeg') return format;
  if (format !== undefined) throw new Error(`saveImage: format must be 'png' or 'jpeg', got ${JSON.stringify(format)}`);
  const ext = extname(path).toLowerCase();
  if (ext === '.png') return 'png';
  if (ext === '.jpg' || ext === '.jpeg') return 'jpeg';
  throw new Error(`saveImage: cannot tell the format of '${path}' from its extension; use .png, .jpg or .jpeg, or pass { format }`);
}

/**
 * Saves an image array (Tensor [h, w, c]) or decoded image as PNG or JPEG, like Keras's
 * `image_array_save()` / `save_img()`. Written atomically (temp file + rename).
 * @example await saveImage(imageToArray(img), 'cat.png');
 */
export async function saveImage(x: Tensor | DecodedImage, path: string, options: SaveImageOptions = {}): Promise<void> {
  const format = formatFor(path, options.format);
  const img = 'shape' in x ? arrayToImage(x, options.scale ?? true) : x;
  await writeFileAtomic(path, await encodeImage(img, format, options.quality));
}
