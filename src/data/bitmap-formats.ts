/**
 * Decoders for the two formats Keras's directory listing accepts (`bmp`, `ppm`) that sharp's
 * libvips build cannot read. They return raw interleaved pixels that then go through the same
 * colour conversion as every other image.
 */
export interface RawPixels {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3 | 4;
}

/** True when the bytes start like a BMP or a binary/ASCII netpbm file. */
export function isBitmapFormat(buf: Uint8Array): boolean {
  return (buf[0] === 0x42 && buf[1] === 0x4d) || (buf[0] === 0x50 && buf[1]! >= 0x32 && buf[1]! <= 0x36 && buf[1] !== 0x34);
}

export function decodeBitmap(buf: Buffer): RawPixels {
  return buf[0] === 0x42 ? decodeBmp(buf) : decodeNetpbm(buf);
}

function fail(what: string): never {
  throw new Error(`unsupported or corrupt bitmap: ${what}`);
}

/** Uncompressed BMP: 1/4/8-bit palettes, 24-bit BGR, 32-bit BGRX or bit-field masks. */
function decodeBmp(buf: Buffer): RawPixels {
  if (buf.length < 54) fail('BMP header truncated');
  const offset = buf.readUInt32LE(10);
  const dib = buf.readUInt32LE(14);
  const width = buf.readInt32LE(18);
  const rawHeight = buf.readInt32LE(22);
  const bpp = buf.readUInt16LE(28);
  const compression = buf.readUInt32LE(30);
  const height = Math.abs(rawHeight);
  if (width <= 0 || height === 0) fail(`BMP size ${width}×${rawHeight}`);
  if (compression !== 0 && !(compression === 3 && bpp === 32)) fail(`BMP compression ${compression}`);
  const stride = Math.ceil((width * bpp) / 32) * 4;
  if (offset + stride * height > buf.length) fail('BMP pixel data truncated');
  const masks = compression === 3
    ? [buf.readUInt32LE(54), buf.readUInt32LE(58), buf.readUInt32LE(62), dib >= 56 ? buf.readUInt32LE(66) : 0]
    : null;
  const hasAlpha = masks !== null && masks[3] !== 0;
  const channels = hasAlpha ? 4 : 3;
  const palette = bpp <= 8 ? buf.subarray(14 + dib, offset) : null;
  const out = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const row = offset + (rawHeight > 0 ? height - 1 - y : y) * stride;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * channels;
      if (palette) {
        const bitPos = x * bpp;
        const idx = (buf[row + (bitPos >> 3)]! >> (8 - bpp - (bitPos & 7))) & ((1 << bpp) - 1);
        if (idx * 4 + 2 >= palette.length) fail(`BMP palette index ${idx} out of range`);
        out[o] = palette[idx * 4 + 2]!; out[o + 1] = palette[idx * 4 + 1]!; out[o + 2] = palette[idx * 4]!;
      } else if (bpp === 24 || (bpp === 32 && masks === null)) {
        const p = row + x * (bpp >> 3);
        out[o] = buf[p + 2]!; out[o + 1] = buf[p + 1]!; out[o + 2] = buf[p]!;
      } else if (bpp === 32 && masks !== null) {
        const v = buf.readUInt32LE(row + x * 4);
        for (let k = 0; k < channels; k++) out[o + k] = maskedByte(v, masks[k]!);
      } else {
        fail(`BMP with ${bpp} bits per pixel`);
      }
    }
  }
  return { data: out, width, height, channels };
}

function maskedByte(value: number, mask: number): number {
  if (mask === 0) return 0;
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  const max = mask >>> shift;
  return Math.round((((value & mask) >>> shift) * 255) / max);
}

/** Netpbm P2/P3 (ASCII) and P5/P6 (binary) grey or RGB, any maxval, scaled to 8 bits. */
function decodeNetpbm(buf: Buffer): RawPixels {
  const kind = buf[1]! - 0x30;
  let pos = 2;
  const header: number[] = [];
  const skipSpace = (): void => {
    while (pos < buf.length) {
      const ch = buf[pos]!;
      if (ch === 0x23) while (pos < buf.length && buf[pos] !== 0x0a) pos++;
      else if (ch === 0x20 || (ch >= 0x09 && ch <= 0x0d)) pos++;
      else break;
    }
  };
  const readInt = (): number => {
    skipSpace();
    const start = pos;
    while (pos < buf.length && buf[pos]! >= 0x30 && buf[pos]! <= 0x39) pos++;
    if (pos === start) fail('netpbm header or sample is not a number');
    return Number(buf.toString('latin1', start, pos));
  };
  while (header.length < 3) header.push(readInt());
  const [width, height, maxval] = header as [number, number, number];
  if (width < 1 || height < 1 || maxval < 1 || maxval > 65535) fail(`netpbm size ${width}×${height}, maxval ${maxval}`);
  const channels = kind === 3 || kind === 6 ? 3 : 1;
  const count = width * height * channels;
  const binary = kind === 5 || kind === 6;
  // Checked before allocating: the header's size is only a claim, and the samples must be in
  // the file (binary: 1 or 2 bytes each; ASCII: at least a digit and a separator each).
  if (binary) pos++; // exactly one whitespace byte separates the header from binary samples
  const bytes = binary ? (maxval < 256 ? 1 : 2) : 2;
  if (pos + count * bytes > buf.length + (binary ? 0 : 1)) fail(`netpbm pixel data truncated (${width}×${height} claimed)`);
  const out = new Uint8Array(count);
  const scale = (v: number): number => (maxval === 255 ? v : Math.round((Math.min(v, maxval) * 255) / maxval));
  if (binary) {
    for (let i = 0; i < count; i++) out[i] = scale(bytes === 1 ? buf[pos + i]! : buf.readUInt16BE(pos + 2 * i));
  } else {
    for (let i = 0; i < count; i++) out[i] = scale(readInt());
  }
  return { data: out, width, height, channels };
}
