/** How points that fall outside the image are filled (scipy.ndimage `mode`, order 1). */
export type FillMode = 'nearest' | 'constant' | 'reflect' | 'wrap';

export const FILL_MODES: readonly FillMode[] = ['nearest', 'constant', 'reflect', 'wrap'];

export function checkFillMode(mode: unknown, where: string): FillMode {
  if (!FILL_MODES.includes(mode as FillMode)) {
    throw new Error(`${where}: fillMode must be one of ${FILL_MODES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(mode)}`);
  }
  return mode as FillMode;
}

/**
 * The two samples for linear interpolation at coordinate `u` on an axis of length n, after
 * scipy (>= 1.6) maps `u` into range: their indices go into `taps`, the weight of the second
 * is returned. Returns −1 when the point takes `cval` (constant mode, u outside [0, n−1] — an
 * exact test, as in scipy, so u = −1e−9 is already outside).
 *
 * `wrap` is scipy's: period n − 1 (first and last samples coincide), not Keras's docstring
 * picture of period n; `reflect` repeats the edge sample (half-sample symmetric).
 */
export function axisTaps(u: number, n: number, mode: FillMode, taps: Int32Array): number {
  const last = n - 1;
  if (u < 0 || u > last) {
    if (mode === 'constant') return -1;
    if (mode === 'nearest' || n === 1) u = u < 0 ? 0 : last;
    else if (mode === 'wrap') u = wrapCoordinate(u, last);
    else u = reflectCoordinate(u, n);
  }
  const i0 = Math.floor(u);
  // After mapping, taps can sit at −1 or n only in reflect mode, where they repeat the edge.
  taps[0] = i0 < 0 ? 0 : i0 > last ? last : i0;
  taps[1] = i0 + 1 > last ? last : i0 + 1 < 0 ? 0 : i0 + 1;
  return u - i0;
}

// scipy's integer-truncating arithmetic, kept so that u = −3 on a 4-sample axis lands on the
// last sample (as scipy does) rather than the first.
function wrapCoordinate(u: number, period: number): number {
  if (u < 0) return u + period * (Math.trunc(-u / period) + 1);
  return u - period * Math.trunc(u / period);
}

function reflectCoordinate(u: number, n: number): number {
  const span = 2 * n;
  if (u < 0) {
    if (u < -span) u += span * Math.trunc(-u / span);
    return u < -n ? u + span : (u > -1e-15 ? 1e-15 : -u) - 1;
  }
  u -= span * Math.trunc(u / span);
  return u >= n ? span - u - 1 : u;
}
