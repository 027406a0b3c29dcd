// Fuzz cases for image decoding (run by test/data/fuzz.test.ts through test/helpers/fuzz-worker.ts):
// each seed takes a small picture in one of the formats a class folder may hold — JPEG
// (baseline, progressive), PNG (RGB, RGBA, palette), TIFF, and the BMP and PPM that deeptype
// decodes itself — damages it (header bytes or body bytes flipped, cut short, bytes spliced,
// the stored width and height set to absurd values) and loads it as flowImagesFromDirectory does.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { imageLoad } from '../../src/data/image-load.js';
import { type FuzzCase, flipBytes, Random, splice, truncate } from '../helpers/fuzz.js';

const [W, H] = [24, 20];
const pixels = Buffer.from(Array.from({ length: W * H * 3 }, (_, i) => (i * 37 + (i % 3) * 80) & 255));
const picture = () => sharp(pixels, { raw: { width: W, height: H, channels: 3 } });

/** A 24-bit BMP of `pixels`: rows bottom-up, BGR, padded to 4 bytes. */
function bmp(): Buffer {
  const stride = Math.ceil((W * 3) / 4) * 4;
  const out = Buffer.alloc(54 + stride * H);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(W, 18);
  out.writeInt32LE(H, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const s = (y * W + x) * 3;
      out.set([pixels[s + 2]!, pixels[s + 1]!, pixels[s]!], 54 + (H - 1 - y) * stride + x * 3);
    }
  }
  return out;
}

const BASES: Record<string, Buffer> = {
  'baseline.jpg': await picture().jpeg().toBuffer(),
  'progressive.jpg': await picture().jpeg({ progressive: true }).toBuffer(),
  'rgb.png': await picture().png().toBuffer(),
  'rgba.png': await picture().ensureAlpha(0.5).png().toBuffer(),
  'palette.png': await picture().png({ palette: true, colours: 16 }).toBuffer(),
  'image.tif': await picture().tiff().toBuffer(),
  'image.bmp': bmp(),
  'image.ppm': Buffer.concat([Buffer.from(`P6\n${W} ${H}\n255\n`), pixels]),
};
const NAMES = Object.keys(BASES);
const SIZES = [0, 1, 7, 255, 4097, 30_000, 65_535, 2 ** 31 - 1, 2 ** 32 - 1];

/** The same picture claiming another width and height, where each format keeps them. */
function resize(name: string, bytes: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(bytes);
  if (name.endsWith('.png')) {
    // IHDR's width and height, with its CRC recomputed so the decoder believes them.
    out.writeUInt32BE(width >>> 0, 16);
    out.writeUInt32BE(height >>> 0, 20);
    out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  } else if (name.endsWith('.jpg')) {
    // The frame header (SOF0 or SOF2): FF C0/C2, length, precision, height, width.
    for (let i = 2; i + 9 < out.length; i++) {
      if (out[i] === 0xff && (out[i + 1] === 0xc0 || out[i + 1] === 0xc2)) {
        out.writeUInt16BE(height & 0xffff, i + 5);
        out.writeUInt16BE(width & 0xffff, i + 7);
        break;
      }
    }
  } else if (name.endsWith('.bmp')) {
    out.writeInt32LE(width | 0, 18);
    out.writeInt32LE(height | 0, 22);
  } else if (name.endsWith('.ppm')) {
    return Buffer.concat([Buffer.from(`P6\n${width} ${height}\n255\n`), pixels]);
  } else {
    return flipBytes(bytes, new Random(width ^ height), 4, 0, 64);
  }
  return out;
}

export const fuzzCase: FuzzCase = async (seed, dir) => {
  const rng = new Random(seed);
  const name = NAMES[rng.int(NAMES.length)]!;
  const base = BASES[name]!;
  const kind = rng.int(5);
  const bytes = kind === 0 ? flipBytes(base, rng, 1 + rng.int(6), 0, Math.min(base.length, 128))
    : kind === 1 ? flipBytes(base, rng, 1 + rng.int(16))
      : kind === 2 ? truncate(base, rng)
        : kind === 3 ? splice(base, rng)
          : resize(name, base, SIZES[rng.int(SIZES.length)]!, SIZES[rng.int(SIZES.length)]!);
  const path = join(dir, `${seed}-${name}`);
  writeFileSync(path, bytes);
  const colorMode = (['rgb', 'grayscale', 'rgba'] as const)[rng.int(3)]!;
  try {
    const img = await imageLoad(path, { targetSize: [8, 8], colorMode });
    const channels = { rgb: 3, grayscale: 1, rgba: 4 }[colorMode];
    // A picture that decodes must come out whole, at the size and colour mode asked for.
    if (img.width !== 8 || img.height !== 8 || img.channels !== channels || img.data.length !== 64 * channels) {
      return { path, outcome: new Error(`decoded to ${img.width}×${img.height}×${img.channels} (${img.data.length} bytes)`) };
    }
    return { path, outcome: 'decoded' };
  } catch (error) {
    return { path, outcome: error };
  }
};
