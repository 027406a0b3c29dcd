export type Padding = 'valid' | 'same';

export interface AxisGeometry {
  out: number;
  padBefore: number;
}

/**
 * Output length and leading padding along one axis, with TensorFlow's rule for 'same':
 * total = max((ceil(n/s) − 1)·s + k − n, 0), the odd pixel going to the end (bottom/right).
 */
export function axisGeometry(n: number, k: number, s: number, padding: Padding): AxisGeometry {
  if (padding === 'valid') return { out: Math.floor((n - k) / s) + 1, padBefore: 0 };
  const out = Math.ceil(n / s);
  const total = Math.max((out - 1) * s + k - n, 0);
  return { out, padBefore: Math.floor(total / 2) };
}

/**
 * A layer's output length along one axis, null when the input's is unknown. A window that does
 * not fit a 'valid' input leaves nothing: Keras fails when the layer is built ("Negative dimension
 * size"), and so does this, naming the layer, instead of a shape of None that fails at predict.
 */
export function outputLength(n: number | null | undefined, k: number, s: number, padding: Padding, where: string): number | null {
  if (n === null || n === undefined) return null;
  const { out } = axisGeometry(n, k, s, padding);
  if (out < 1) {
    throw new Error(`${where}: a window of ${k} does not fit an input of ${n} with 'valid' padding (the output would have ` +
      `${Math.max(out, 0)} pixels); use padding 'same', a smaller window or larger images`);
  }
  return out;
}

export function checkPadding(padding: string, where: string): Padding {
  if (padding !== 'valid' && padding !== 'same') {
    throw new Error(`${where}: padding must be 'valid' or 'same', got '${padding}'`);
  }
  return padding;
}

/** Normalises Keras's `3` or `[3, 3]` to a pair, checking the values. */
export function pair(value: number | readonly number[], name: string, where: string): [number, number] {
  const p = typeof value === 'number' ? [value, value] : [...value];
  if (p.length !== 2 || p.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new Error(`${where}: ${name} must be a positive integer or a pair of them, got ${JSON.stringify(value)}`);
  }
  return p as [number, number];
}
