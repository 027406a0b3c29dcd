import type { Geometry } from './affine.js';

/**
 * The non-geometric steps of Keras's `apply_transform`, in place on an H×W×C float image.
 */

/** Adds `intensity` to every channel and clips to the image's own [min, max] (all channels). */
export function channelShift(x: Float32Array, intensity: number): void {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) {
    if (x[i]! < min) min = x[i]!;
    if (x[i]! > max) max = x[i]!;
  }
  for (let i = 0; i < x.length; i++) {
    const v = x[i]! + intensity;
    x[i] = v < min ? min : v > max ? max : v;
  }
}

/** Reverses the column axis (horizontal flip). */
export function flipColumns(x: Float32Array, height: number, width: number, channels: number): void {
  for (let r = 0; r < height; r++) {
    const row = r * width * channels;
    for (let a = 0, b = width - 1; a < b; a++, b--) {
      for (let k = 0; k < channels; k++) {
        const i = row + a * channels + k;
        const j = row + b * channels + k;
        const t = x[i]!;
        x[i] = x[j]!;
        x[j] = t;
      }
    }
  }
}

/** Reverses the row axis (vertical flip). */
export function flipRows(x: Float32Array, height: number, width: number, channels: number): void {
  const len = width * channels;
  const tmp = new Float32Array(len);
  for (let a = 0, b = height - 1; a < b; a++, b--) {
    tmp.set(x.subarray(a * len, (a + 1) * len));
    x.copyWithin(a * len, b * len, (b + 1) * len);
    x.set(tmp, b * len);
  }
}

/**
 * Keras's `apply_brightness_shift`: the array goes through an 8-bit PIL image and
 * `ImageEnhance.Brightness(factor)` (a blend with black, truncated to 0..255); alpha is kept.
 * LG (keras-preprocessing <= 1.1.2) converts with `array_to_img(scale=True)`, which also
 * stretches the image to the full 0..255 range first; FG (tf.keras >= 2.9) stretches only when
 * values leave 0..255, and maps them back afterwards.
 */
export function brightnessShift(x: Float32Array, channels: number, factor: number, geometry: Geometry): void {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) {
    if (x[i]! < min) min = x[i]!;
    if (x[i]! > max) max = x[i]!;
  }
  const outOfRange = min < 0 || max > 255;
  const stretch = geometry === 'legacy' || outOfRange;
  // array_to_img: x + max(−min, 0), / max, × 255, then astype(uint8) truncation.
  const shift = stretch ? Math.max(-min, 0) : 0;
  const top = max + shift;
  const scale = stretch && top !== 0 ? 255 / top : 1;
  const f = Math.fround(factor); // PIL blends with a C float
  for (let i = 0; i < x.length; i++) {
    const byte = Math.min(255, Math.trunc((x[i]! + shift) * scale));
    const v = channels === 4 && i % 4 === 3 ? byte : Math.fround(byte * f);
    const out = v <= 0 ? 0 : v >= 255 ? 255 : Math.trunc(v);
    x[i] = geometry === 'fixed' && outOfRange ? (out / 255) * (max - min) + min : out;
  }
}
