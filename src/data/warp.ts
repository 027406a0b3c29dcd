import type { InverseMap } from './affine.js';
import { type FillMode, axisTaps } from './fill-mode.js';

/**
 * Resamples an H×W×C float image through an affine pull map with bilinear interpolation
 * (scipy `affine_transform`, order 1, no prefilter), every channel with the same geometry.
 * `out` must not alias `src`. The tap positions and weights are found once per pixel and
 * reused for all channels.
 */
export function affineWarp(src: Float32Array, height: number, width: number, channels: number,
  map: InverseMap, fillMode: FillMode, cval: number, out: Float32Array): void {
  const rowTaps = new Float64Array(3);
  const colTaps = new Float64Array(3);
  const rowStride = width * channels;
  let o = 0;
  for (let r = 0; r < height; r++) {
    const uBase = map.r0 + map.rr * r;
    const vBase = map.c0 + map.cr * r;
    for (let c = 0; c < width; c++, o += channels) {
      const u = uBase + map.rc * c;
      const v = vBase + map.cc * c;
      if (!axisTaps(u, height, fillMode, rowTaps) || !axisTaps(v, width, fillMode, colTaps)) {
        for (let k = 0; k < channels; k++) out[o + k] = cval;
        continue;
      }
      const fr = rowTaps[2]!;
      const fc = colTaps[2]!;
      const w00 = (1 - fr) * (1 - fc);
      const w01 = (1 - fr) * fc;
      const w10 = fr * (1 - fc);
      const w11 = fr * fc;
      const p00 = rowTaps[0]! * rowStride + colTaps[0]! * channels;
      const p01 = rowTaps[0]! * rowStride + colTaps[1]! * channels;
      const p10 = rowTaps[1]! * rowStride + colTaps[0]! * channels;
      const p11 = rowTaps[1]! * rowStride + colTaps[1]! * channels;
      for (let k = 0; k < channels; k++) {
        out[o + k] = w00 * src[p00 + k]! + w01 * src[p01 + k]! + w10 * src[p10 + k]! + w11 * src[p11 + k]!;
      }
    }
  }
}
