import type { FusedActivation } from '../backend.js';
import { alloc } from './memory.js';
import { relu } from './elementwise.js';

/** Row-major copy of the transpose of a [rows, cols] matrix. */
function transposed(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = x[r * cols + c]!;
  return out;
}

/** C[m,n] += A[m,k]·B[k,n], i-k-j order so the inner loop streams rows of B and C. */
export function gemmAccumulate(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number,
  n: number, aOffset = 0, cOffset = 0): void {
  for (let i = 0; i < m; i++) {
    const cRow = cOffset + i * n;
    for (let p = 0; p < k; p++) {
      const av = a[aOffset + i * k + p]!;
      if (av === 0) continue;
      const bRow = p * n;
      for (let j = 0; j < n; j++) c[cRow + j] += av * b[bRow + j]!;
    }
  }
}

export function applyEpilogue(c: Float32Array, n: number, bias: Float32Array | null, activation: FusedActivation): void {
  if (bias) for (let i = 0; i < c.length; i++) c[i] += bias[i % n]!;
  if (activation === 'relu') for (let i = 0; i < c.length; i++) c[i] = relu(c[i]!);
  else if (activation === 'sigmoid') for (let i = 0; i < c.length; i++) c[i] = 1 / (1 + Math.exp(-c[i]!));
  else if (activation === 'tanh') for (let i = 0; i < c.length; i++) c[i] = Math.tanh(c[i]!);
}

export function matmul(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transA: boolean,
  transB: boolean, bias: Float32Array | null, activation: FusedActivation): Float32Array {
  const left = transA ? transposed(a, k, m) : a;
  const right = transB ? transposed(b, n, k) : b;
  const c = alloc(m * n, 'matmul').fill(0);
  gemmAccumulate(left, right, c, m, k, n);
  applyEpilogue(c, n, bias, activation);
  return c;
}
