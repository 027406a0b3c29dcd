import type { Tensor } from './tensor.js';

const EDGE = 3;

function formatNumber(v: number, dtype: string): string {
  if (dtype === 'int32') return String(v);
  if (Number.isNaN(v) || !Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e5 || a < 1e-4) ? v.toExponential(4) : v.toFixed(4);
}

/** NumPy-like text: nested brackets, long axes elided to their first and last three entries. */
export function formatTensor(t: Tensor): string {
  const header = `Tensor ${t.dtype} [${t.shape.join(', ')}]`;
  if (t.rank === 0) return `${header} ${formatNumber(t.data[0]!, t.dtype)}`;
  const strides = t.shape.map((_, i) => t.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const render = (offset: number, dim: number, indent: string): string => {
    const n = t.shape[dim]!;
    const idx = n > 2 * EDGE ? [...Array(EDGE).keys(), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)]
      : [...Array(n).keys()];
    if (dim === t.rank - 1) {
      return '[' + idx.map((i) => (i < 0 ? '...' : formatNumber(t.data[offset + i]!, t.dtype))).join(', ') + ']';
    }
    const inner = idx.map((i) => (i < 0 ? '...' : render(offset + i * strides[dim]!, dim + 1, indent + ' ')));
    return '[' + inner.join(',\n' + indent + ' ') + ']';
  };
  return `${header}\n${render(0, 0, '')}`;
}

/**
 * Python's `repr` of a float (what Keras's log lines and CSV files show): shortest round-trip
 * digits, `1.0` for whole numbers, an exponent below 1e-4 or from 1e16 on, `nan` and `inf`.
 */
export function pythonFloat(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  const [mantissa, exponentText] = v.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const fixed = String(v);
  return fixed.includes('.') ? fixed : `${fixed}.0`;
}
