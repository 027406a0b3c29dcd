import type { DecodedImage } from './decoded-image.js';

/**
 * The resampling filters Keras's `load_img` accepts (Pillow's names). `nearest` is Keras's
 * default and the one the lecture uses.
 */
export type Interpolation = 'nearest' | 'bilinear' | 'bicubic' | 'lanczos' | 'box' | 'hamming';

interface Filter {
  readonly support: number;
  weight(x: number): number;
}

const sinc = (x: number): number => (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x));

// Pillow's Resample.c kernels; hamming uses float constants there, hence the fround.
const FILTERS: Record<Exclude<Interpolation, 'nearest'>, Filter> = {
  box: { support: 0.5, weight: (x) => (x > -0.5 && x <= 0.5 ? 1 : 0) },
  bilinear: { support: 1, weight: (x) => (Math.abs(x) < 1 ? 1 - Math.abs(x) : 0) },
  hamming: {
    support: 1,
    weight: (x) => {
      const a = Math.abs(x);
      if (a === 0) return 1;
      if (a >= 1) return 0;
      const p = a * Math.PI;
      return (Math.sin(p) / p) * (Math.fround(0.54) + Math.fround(0.46) * Math.cos(p));
    },
  },
  bicubic: {
    support: 2,
    weight: (x) => {
      const a = Math.abs(x);
      if (a < 1) return (1.5 * a - 2.5) * a * a + 1;
      if (a < 2) return (((a - 5) * a + 8) * a - 4) * -0.5;
      return 0;
    },
  },
  lanczos: { support: 3, weight: (x) => (x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0) },
};

export const INTERPOLATIONS: readonly Interpolation[] = ['nearest', 'bilinear', 'bicubic', 'lanczos', 'box', 'hamming'];

/** Checks an `interpolation` option; the error lists what is supported, as Keras's does. */
export function checkInterpolation(name: unknown, where: string): Interpolation {
  if (!INTERPOLATIONS.includes(name as Interpolation)) {
    throw new Error(`${where}: invalid interpolation ${JSON.stringify(name)}; supported methods are ${INTERPOLATIONS.join(', ')}`);
  }
  return name as Interpolation;
}

/**
 * Pillow's nearest-neighbour source index per output index (ImagingScaleAffine): a running
 * sum `pos += step` truncated, not the closed form floor((i + 0.5)·step) — the two disagree
 * where the product is an exact integer (500 → 150 px: output 25 reads 84, not 85).
 */
export function nearestIndices(srcLen: number, dstLen: number): Int32Array {
  const step = srcLen / dstLen;
  const out = new Int32Array(dstLen);
  let pos = step * 0.5;
  for (let i = 0; i < dstLen; i++) {
    out[i] = Math.min(Math.trunc(pos), srcLen - 1);
    pos += step;
  }
  return out;
}

function resizeNearest(img: DecodedImage, height: number, width: number): DecodedImage {
  const { data, channels: c } = img;
  const rows = nearestIndices(img.height, height);
  const cols = nearestIndices(img.width, width);
  const out = new Uint8Array(height * width * c);
  const srcRow = img.width * c;
  let o = 0;
  for (let y = 0; y < height; y++) {
    const base = rows[y]! * srcRow;
    for (let x = 0; x < width; x++) {
      const s = base + cols[x]! * c;
      for (let k = 0; k < c; k++) out[o++] = data[s + k]!;
    }
  }
  return { data: out, height, width, channels: c };
}

// Pillow accumulates in 32-bit ints with 22 fraction bits and clips each pass back to 8 bits.
const PRECISION_BITS = 22;
const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);

interface Coefficients {
  readonly ksize: number;
  readonly bounds: Int32Array; // [start, count] per output index
  readonly weights: Int32Array; // fixed-point, ksize per output index
}

/** Pillow's precompute_coeffs + normalize_coeffs_8bpc: an antialiasing kernel per output index. */
function coefficients(inSize: number, outSize: number, filter: Filter): Coefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filter.support * filterScale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const weights = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  const ss = 1 / filterScale;
  for (let i = 0; i < outSize; i++) {
    const center = (i + 0.5) * scale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const count = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let total = 0;
    for (let x = 0; x < count; x++) {
      k[x] = filter.weight((x + xmin - center + 0.5) * ss);
      total += k[x]!;
    }
    for (let x = 0; x < count; x++) {
      const w = total !== 0 ? k[x]! / total : k[x]!;
      weights[i * ksize + x] = Math.trunc(w < 0 ? -0.5 + w * ONE : 0.5 + w * ONE);
    }
    bounds[i * 2] = xmin;
    bounds[i * 2 + 1] = count;
  }
  return { ksize, bounds, weights };
}

const clip8 = (acc: number): number => {
  const v = acc >> PRECISION_BITS;
  return v < 0 ? 0 : v > 255 ? 255 : v;
};

/** One separable pass along rows (`stride` = channels) or columns (`stride` = row length). */
function resamplePass(src: Uint8Array, lines: number, lineStep: number, stride: number, channels: number,
  coef: Coefficients, outLen: number, dst: Uint8Array, dstLineStep: number, dstStride: number): void {
  const { ksize, bounds, weights } = coef;
  for (let line = 0; line < lines; line++) {
    const srcBase = line * lineStep;
    const dstBase = line * dstLineStep;
    for (let i = 0; i < outLen; i++) {
      const start = bounds[i * 2]!;
      const count = bounds[i * 2 + 1]!;
      const wBase = i * ksize;
      for (let ch = 0; ch < channels; ch++) {
        let acc = HALF;
        let s = srcBase + start * stride + ch;
        for (let x = 0; x < count; x++, s += stride) acc += src[s]! * weights[wBase + x]!;
        dst[dstBase + i * dstStride + ch] = clip8(acc);
      }
    }
  }
}

function resizeFiltered(img: DecodedImage, height: number, width: number, filter: Filter): DecodedImage {
  const c = img.channels;
  let cur = img;
  // Pillow: horizontal pass first (when the width changes), then vertical.
  if (width !== cur.width) {
    const out = new Uint8Array(cur.height * width * c);
    resamplePass(cur.data, cur.height, cur.width * c, c, c, coefficients(cur.width, width, filter), width, out, width * c, c);
    cur = { data: out, height: cur.height, width, channels: c };
  }
  if (height !== cur.height) {
    const out = new Uint8Array(height * width * c);
    // A "line" is one column position × channel run; the pass walks down rows.
    resamplePass(cur.data, width, c, width * c, c, coefficients(cur.height, height, filter), height, out, c, width * c);
    cur = { data: out, height, width, channels: c };
  }
  return cur;
}

// Pillow resizes RGBA through premultiplied RGBa so transparent pixels do not bleed colour.
function premultiply(img: DecodedImage): DecodedImage {
  const d = Uint8Array.from(img.data);
  for (let i = 0; i < d.length; i += 4) {
    const a = d[i + 3]!;
    for (let k = 0; k < 3; k++) {
      const t = d[i + k]! * a + 128;
      d[i + k] = ((t >> 8) + t) >> 8;
    }
  }
  return { ...img, data: d };
}

function unpremultiply(img: DecodedImage): DecodedImage {
  const d = img.data;
  for (let i = 0; i < d.length; i += 4) {
    const a = d[i + 3]!;
    if (a === 0 || a === 255) continue;
    for (let k = 0; k < 3; k++) d[i + k] = Math.min(255, Math.floor((255 * d[i + k]!) / a));
  }
  return img;
}

/**
 * Resizes to exactly height × width (aspect ratio not kept) as Pillow's `Image.resize` does,
 * so the pixels match what Keras's `load_img(target_size=...)` feeds a network. Same-size
 * images come back untouched.
 */
export function resizeImage(img: DecodedImage, height: number, width: number, interpolation: Interpolation = 'nearest'): DecodedImage {
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
    throw new Error(`resizeImage: target size must be two positive integers, got [${height}, ${width}]`);
  }
  if (img.height === height && img.width === width) return img;
  if (interpolation === 'nearest') return resizeNearest(img, height, width);
  const filter = FILTERS[interpolation];
  if (img.channels === 4) return unpremultiply(resizeFiltered(premultiply(img), height, width, filter));
  return resizeFiltered(img, height, width, filter);
}
