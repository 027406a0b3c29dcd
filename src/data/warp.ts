import { backendName } from '../backend/index.js';
import { nativeAddon } from '../backend/native/load.js';
import type { InverseMap } from './affine.js';
import { FILL_MODES, type FillMode, axisTaps } from './fill-mode.js';

/**
 * Resamples an H×W×C image (float, or the decode cache's 8-bit pixels read directly) through an affine pull map with bilinear interpolation
 * (scipy `affine_transform`, order 1, no prefilter), every channel with the same geometry.
 * `out` must not alias `src`. On the native backend the addon runs the same arithmetic (same
 * pixels, on every core): once model A's step got faster, this warp in JS took 12% of it.
 * Each value is then multiplied by `scale` (a float32: the generator's rescale, folded into
 * this pass so a batch is not walked a second time), rounding as the two passes would. The
 * flips, which the generator applies after the transform, only mirror where pixels are stored.
 */
export function affineWarp(src: Float32Array | Uint8Array, height: number, width: number, channels: number,
  map: InverseMap, fillMode: FillMode, cval: number, out: Float32Array, scale = 1, flips: Flips = NO_FLIPS): void {
  const size = height * width * channels;
  if (src.length < size || out.length < size) {
    throw new Error(`affineWarp: a ${height}×${width}×${channels} image needs ${size} values, got ${src.length} in and ${out.length} out`);
  }
  const addon = backendName() === 'native' ? nativeAddon() : null;
  if (!addon) {
    affineWarpJs(src, height, width, channels, map, fillMode, cval, out, scale, flips);
    return;
  }
  const coefficients = Float64Array.from(coefficientsOf(map));
  const mode = FILL_MODES.indexOf(fillMode);
  const { horizontal, vertical } = flips;
  if (src instanceof Uint8Array) {
    addon.affine_warp_u8(out, src, height, width, channels, coefficients, mode, cval, scale, horizontal, vertical);
  } else addon.affine_warp(out, src, height, width, channels, coefficients, mode, cval, scale, horizontal, vertical);
}

/** Mirrorings of the warped image: columns (horizontal), rows (vertical). */
export interface Flips {
  horizontal: boolean;
  vertical: boolean;
}

const NO_FLIPS: Flips = { horizontal: false, vertical: false };

/** The map as the addon takes it, [rr, rc, r0, cr, cc, c0]; null is the identity. */
function coefficientsOf(m: InverseMap | null): number[] {
  return m ? [m.rr, m.rc, m.r0, m.cr, m.cc, m.c0] : [1, 0, 0, 0, 1, 0];
}

/**
 * affineWarp for a batch of 8-bit images into consecutive slots of `out` (a null map is the
 * identity, which resamples to the very same values), in one call to the addon, which gives
 * each core whole images; false, with nothing written, on the js backend.
 */
export function affineWarpBatch(sources: readonly Uint8Array[], height: number, width: number, channels: number,
  maps: readonly (InverseMap | null)[], flips: readonly Flips[], fillMode: FillMode, cval: number, out: Float32Array,
  scale: number): boolean {
  const addon = backendName() === 'native' ? nativeAddon() : null;
  if (!addon) return false;
  const coefficients = new Float64Array(6 * sources.length);
  maps.forEach((m, j) => coefficients.set(coefficientsOf(m), 6 * j));
  const flipBits = Uint8Array.from(flips, (f) => (f.horizontal ? 1 : 0) | (f.vertical ? 2 : 0));
  addon.affine_warp_batch_u8(out, sources, coefficients, flipBits, height, width, channels, FILL_MODES.indexOf(fillMode),
    cval, scale);
  return true;
}

/** out = src · scale (scale a float32), 8-bit pixels converted on the way: the identity warp. */
export function scaleInto(src: Float32Array | Uint8Array, out: Float32Array, scale: number): void {
  if (out.length < src.length) throw new Error(`scaleInto: ${src.length} values do not fit in ${out.length}`);
  const addon = src instanceof Uint8Array && backendName() === 'native' ? nativeAddon() : null;
  if (addon) addon.scale_u8(out, src as Uint8Array, src.length, scale);
  else if (scale === 1) out.set(src);
  else for (let i = 0; i < src.length; i++) out[i] = src[i]! * scale;
}

/**
 * The reference: tap positions and weights found once per pixel and reused for all channels.
 */
export function affineWarpJs(src: Float32Array | Uint8Array, height: number, width: number, channels: number,
  map: InverseMap, fillMode: FillMode, cval: number, out: Float32Array, scale = 1, flips: Flips = NO_FLIPS): void {
  const rowTaps = new Int32Array(2);
  const colTaps = new Int32Array(2);
  const rowStride = width * channels;
  const lastRow = height - 1;
  const lastCol = width - 1;
  const { rr, rc, r0: rowOffset, cr, cc, c0: colOffset } = map;
  const step = flips.horizontal ? -channels : channels;
  for (let r = 0; r < height; r++) {
    const uBase = rowOffset + rr * r;
    const vBase = colOffset + cr * r;
    let o = (flips.vertical ? height - 1 - r : r) * rowStride + (flips.horizontal ? (width - 1) * channels : 0);
    for (let c = 0; c < width; c++, o += step) {
      const u = uBase + rc * c;
      const v = vBase + cc * c;
      let r0: number, r1: number, fr: number, c0: number, c1: number, fc: number;
      if (u >= 0 && u < lastRow && v >= 0 && v < lastCol) {
        // Interior: every fill mode agrees, so skip the boundary mapping.
        r0 = u | 0;
        r1 = r0 + 1;
        fr = u - r0;
        c0 = v | 0;
        c1 = c0 + 1;
        fc = v - c0;
      } else {
        fr = axisTaps(u, height, fillMode, rowTaps);
        fc = fr < 0 ? -1 : axisTaps(v, width, fillMode, colTaps);
        if (fc < 0) {
          for (let k = 0; k < channels; k++) out[o + k] = Math.fround(cval) * scale;
          continue;
        }
        r0 = rowTaps[0]!;
        r1 = rowTaps[1]!;
        c0 = colTaps[0]!;
        c1 = colTaps[1]!;
      }
      const w00 = (1 - fr) * (1 - fc);
      const w01 = (1 - fr) * fc;
      const w10 = fr * (1 - fc);
      const w11 = fr * fc;
      const p00 = r0 * rowStride + c0 * channels;
      const p01 = r0 * rowStride + c1 * channels;
      const p10 = r1 * rowStride + c0 * channels;
      const p11 = r1 * rowStride + c1 * channels;
      for (let k = 0; k < channels; k++) {
        out[o + k] = Math.fround(w00 * src[p00 + k]! + w01 * src[p01 + k]! + w10 * src[p10 + k]! + w11 * src[p11 + k]!) * scale;
      }
    }
  }
}
