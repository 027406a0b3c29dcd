import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { type RawPixels, decodeBitmap, isBitmapFormat } from './bitmap-formats.js';
import { type ColorMode, type DecodedImage, channelsOf } from './decoded-image.js';
import { nonRegularKind } from './regular-file.js';

/**
 * Pillow's decompression-bomb threshold (`Image.MAX_IMAGE_PIXELS`, ~89.5 Mpx): above it Pillow
 * warns and at twice it refuses. We refuse at it, since a training set never needs more.
 */
export const DEFAULT_MAX_PIXELS = 89_478_485;

export interface DecodeOptions {
  colorMode?: ColorMode;
  /** Images with more pixels than this are refused before their pixels are decoded. */
  maxPixels?: number;
}

/**
 * Decodes an image file to 8-bit pixels in the requested colour mode, the way Keras's
 * `load_img` converts a PIL image: `rgb` drops alpha and expands grey; `grayscale` uses
 * Pillow's ITU-R 601 luma L = (19595 R + 38470 G + 7471 B + 2^15) >> 16; `rgba` adds an opaque
 * alpha. CMYK, palette and 16-bit inputs are converted to 8-bit sRGB first (libvips), and EXIF
 * orientation is ignored as Pillow ignores it. Throws an Error naming the file when it is
 * missing, not an image, corrupt, truncated, or larger than `maxPixels`.
 */
export async function decodeImageFile(path: string, options: DecodeOptions = {}): Promise<DecodedImage> {
  const mode = options.colorMode ?? 'rgb';
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!Number.isInteger(maxPixels) || maxPixels < 1) throw new Error(`maxPixels must be a positive integer, got ${maxPixels}`);
  const kind = nonRegularKind(path);
  if (kind) throw new Error(`'${path}' is ${kind}, not an image file`);
  let raw: RawPixels;
  try {
    raw = await decodeWithSharp(path, maxPixels);
  } catch (err) {
    raw = await decodeFallback(path, maxPixels, err);
  }
  return convertChannels(raw, mode);
}

async function decodeWithSharp(path: string, maxPixels: number): Promise<RawPixels> {
  // failOn 'truncated': refuse a JPEG/PNG whose data ends early (Pillow raises "image file
  // is truncated"), but accept the benign libjpeg warnings Pillow also accepts.
  const { data, info } = await sharp(path, { limitInputPixels: maxPixels, failOn: 'truncated' })
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 && info.channels !== 4) throw new Error(`decoded to ${info.channels} channels`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: info.channels };
}

/** BMP and PPM are in Keras's extension list but not in sharp's build: decode them here. */
async function decodeFallback(path: string, maxPixels: number, sharpError: unknown): Promise<RawPixels> {
  // libvips gives one line per libjpeg complaint, often the same one twice: one line, each once.
  const message = [...new Set((sharpError instanceof Error ? sharpError.message : String(sharpError)).split('\n'))].join('; ');
  if (/missing|ENOENT|no such file/i.test(message)) throw new Error(`'${path}' does not exist (it was listed but is gone)`);
  if (/pixel limit/i.test(message)) {
    const meta = await sharp(path, { limitInputPixels: false }).metadata().catch(() => null);
    const size = meta?.width && meta.height ? `${meta.width}×${meta.height} = ${meta.width * meta.height} pixels` : 'too many pixels';
    throw new Error(`'${path}' has ${size}, over the limit of ${maxPixels} (maxPixels; a decompression-bomb guard)`);
  }
  const bytes = await readFile(path).catch((e: NodeJS.ErrnoException) => {
    throw new Error(`'${path}' cannot be read: ${e.code ?? e.message}`);
  });
  if (bytes.length === 0) throw new Error(`'${path}' is empty (0 bytes)`);
  if (!isBitmapFormat(bytes)) throw new Error(`'${path}' is not a readable image: ${message}`);
  let pixels: RawPixels;
  try {
    pixels = decodeBitmap(bytes);
  } catch (e) {
    throw new Error(`'${path}': ${(e as Error).message}`);
  }
  if (pixels.width * pixels.height > maxPixels) {
    throw new Error(`'${path}' has ${pixels.width}×${pixels.height} pixels, over the limit of ${maxPixels} (maxPixels)`);
  }
  return pixels;
}

/** Pillow's `convert` between L, RGB and RGBA on interleaved 8-bit pixels. */
function convertChannels(raw: RawPixels, mode: ColorMode): DecodedImage {
  const { data, width, height, channels: from } = raw;
  const to = channelsOf(mode);
  if (from === to) return { data, width, height, channels: to };
  const n = width * height;
  const out = new Uint8Array(n * to);
  for (let i = 0; i < n; i++) {
    const s = i * from;
    const r = data[s]!;
    const g = from === 1 ? r : data[s + 1]!;
    const b = from === 1 ? r : data[s + 2]!;
    if (to === 1) {
      out[i] = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
    } else {
      const o = i * to;
      out[o] = r; out[o + 1] = g; out[o + 2] = b;
      if (to === 4) out[o + 3] = from === 4 ? data[s + 3]! : 255;
    }
  }
  return { data: out, width, height, channels: to };
}
