import sharp from 'sharp';
import { writeFileAtomic } from '../io/atomic-write.js';

/** One picture for the grid: interleaved channels (HWC), rows top to bottom. */
export interface GridImage {
  data: Uint8Array | Float32Array;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
}

export interface ImageGridOptions {
  /** PNG file to write; its folder must exist. */
  file: string;
  /** Images per row; default ceil(√n), a near-square grid. */
  columns?: number;
  /** White pixels between and around the images; default 4. */
  padding?: number;
  /**
   * Factor applied to every value before it is clipped to 0..255: 1 (default) for 0..255
   * data, 255 for 0..1 data such as images after `rescale = 1/255`.
   */
  scale?: number;
}

/**
 * Writes images side by side in a PNG grid on white, row by row. Use it to look at what the
 * network sees: augmented variants of a training image, or the misclassified validation
 * images of a report. Images of different sizes are centred in cells of the largest size.
 * @returns the path written.
 * @example await imageGrid(batch, { file: 'augmented.png', columns: 4, scale: 255 });
 */
export async function imageGrid(images: readonly GridImage[], options: ImageGridOptions): Promise<string> {
  if (!options || typeof options.file !== 'string' || options.file === '') {
    throw new Error(`imageGrid: expected options { file, columns?, padding?, scale? }, got ${JSON.stringify(options)}`);
  }
  await writeFileAtomic(options.file, await gridPng(images, options));
  return options.file;
}

/** The PNG that imageGrid writes, with an optional title line above the grid. */
export async function gridPng(images: readonly GridImage[], options: Omit<ImageGridOptions, 'file'> & { title?: string }): Promise<Buffer> {
  if (!Array.isArray(images) || images.length === 0) throw new Error('imageGrid: no images given; pass at least one { data, width, height, channels }');
  images.forEach(checkImage);
  const columns = options.columns ?? Math.ceil(Math.sqrt(images.length));
  const padding = options.padding ?? 4;
  const scale = options.scale ?? 1;
  if (!Number.isInteger(columns) || columns < 1) throw new Error(`imageGrid: columns must be a positive integer, got ${columns}`);
  if (!Number.isInteger(padding) || padding < 0) throw new Error(`imageGrid: padding must be a non-negative integer, got ${padding}`);
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`imageGrid: scale must be a positive number, got ${scale}`);
  const cellW = Math.max(...images.map((im) => im.width));
  const cellH = Math.max(...images.map((im) => im.height));
  const rows = Math.ceil(images.length / columns);
  const titleHeight = options.title ? TITLE_HEIGHT : 0;
  // Wide enough for the title too (about 8 px per character at the title's font size).
  const width = Math.max(padding + Math.min(columns, images.length) * (cellW + padding), options.title ? 8 * options.title.length + 8 : 0);
  const tiles: sharp.OverlayOptions[] = images.map((im, k) => ({
    input: toBytes(im.data, scale),
    raw: { width: im.width, height: im.height, channels: im.channels },
    left: padding + (k % columns) * (cellW + padding) + Math.floor((cellW - im.width) / 2),
    top: titleHeight + padding + Math.floor(k / columns) * (cellH + padding) + Math.floor((cellH - im.height) / 2),
  }));
  if (options.title) tiles.push({ input: titleSvg(options.title, width), left: 0, top: 0 });
  return sharp({
    create: { width, height: titleHeight + padding + rows * (cellH + padding), channels: 3, background: '#ffffff' },
  }).composite(tiles).png().toBuffer();
}

const TITLE_HEIGHT = 22;

function titleSvg(title: string, width: number): Buffer {
  const text = title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${TITLE_HEIGHT}">` +
    `<text x="4" y="16" font-family="sans-serif" font-size="14" fill="#000">${text}</text></svg>`);
}

/** PNGs one above the other on white, left-aligned, written atomically to `file`. */
export async function stackPngs(parts: readonly Buffer[], file: string): Promise<string> {
  const sizes = await Promise.all(parts.map((p) => sharp(p).metadata()));
  const tops = sizes.map((_, i) => sizes.slice(0, i).reduce((h, m) => h + m.height!, 0));
  const png = await sharp({
    create: { width: Math.max(...sizes.map((m) => m.width!)), height: tops[tops.length - 1]! + sizes[sizes.length - 1]!.height!,
      channels: 3, background: '#ffffff' },
  }).composite(parts.map((input, i) => ({ input, left: 0, top: tops[i]! }))).png().toBuffer();
  await writeFileAtomic(file, png);
  return file;
}

function checkImage(im: GridImage, k: number): void {
  const { width, height, channels } = im ?? {};
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || ![1, 3, 4].includes(channels)) {
    throw new Error(`imageGrid: image ${k} must have positive integer width and height and channels 1, 3 or 4; got width ${width}, height ${height}, channels ${channels}`);
  }
  if (!(im.data instanceof Uint8Array || im.data instanceof Float32Array) || im.data.length !== width * height * channels) {
    throw new Error(`imageGrid: image ${k} needs a Uint8Array or Float32Array of ${height}×${width}×${channels} = ${width * height * channels} values (HWC), got ${im.data?.length ?? 'no'} values`);
  }
}

/** 8-bit pixels for sharp: values × scale, rounded and clipped, so out-of-range data stays visible. */
function toBytes(data: Uint8Array | Float32Array, scale: number): Buffer {
  if (data instanceof Uint8Array && scale === 1) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const out = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]! * scale;
    out[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
  }
  return out;
}
