/** How many channels each Keras `color_mode` yields. */
export type ColorMode = 'rgb' | 'grayscale' | 'rgba';

export const COLOR_MODES: readonly ColorMode[] = ['rgb', 'grayscale', 'rgba'];

/**
 * A decoded 8-bit image: interleaved channels, rows top to bottom (what Pillow holds before
 * `img_to_array`). Kept as uint8 because that is 4× smaller than float32 in the decode cache.
 */
export interface DecodedImage {
  readonly data: Uint8Array;
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3 | 4;
}

/** 1 for grayscale, 3 for rgb, 4 for rgba. */
export function channelsOf(mode: ColorMode): 1 | 3 | 4 {
  return mode === 'grayscale' ? 1 : mode === 'rgb' ? 3 : 4;
}

/** Checks a `colorMode` option and names the caller when it is wrong. */
export function checkColorMode(mode: unknown, where: string): ColorMode {
  if (!COLOR_MODES.includes(mode as ColorMode)) {
    throw new Error(`${where}: colorMode must be one of ${COLOR_MODES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(mode)}`);
  }
  return mode as ColorMode;
}
