import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loess } from '../../src/plot/loess.js';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} ≉ ${b}`);

test('degree 2 with span 1 reproduces exactly quadratic data, between the points too', () => {
  const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const f = (v: number) => 2 * v * v - 3 * v + 1;
  const xs = [1, 2.5, 5.5, 7.25, 10];
  loess(x, x.map(f), xs, { span: 1 }).forEach((v, i) => close(v, f(xs[i]!)));
});

test('degree 2 with the default span also reproduces a quadratic (every local fit is exact)', () => {
  const x = [0, 0.5, 1.5, 2, 3.5, 4, 6, 7, 7.5, 9, 11, 12];
  const f = (v: number) => 0.3 * v * v - 2 * v + 5;
  loess(x, x.map(f), [0, 3, 8.2, 12]).forEach((v, i) => close(v, f([0, 3, 8.2, 12][i]!)));
});

test('degree 1 reproduces a straight line', () => {
  const x = [1, 2, 3, 4, 5, 6];
  loess(x, x.map((v) => 4 - 0.5 * v), [1, 3.3, 6], { degree: 1, span: 0.8 }).forEach((v, i) => close(v, 4 - 0.5 * [1, 3.3, 6][i]!));
});

/**
 * An independent reference for noisy data: tricube weights from a hand-derived bandwidth and the
 * 3×3 normal equations in raw powers of x solved by Cramer's rule (the implementation centres
 * and scales x and eliminates with pivoting instead).
 */
function reference(x: number[], y: number[], x0: number, h: number): number {
  const s = [0, 0, 0, 0, 0];
  const t = [0, 0, 0];
  x.forEach((xi, i) => {
    const d = Math.abs(xi - x0) / h;
    const w = d < 1 ? (1 - d ** 3) ** 3 : 0;
    for (let p = 0; p < 5; p++) s[p]! += w * xi ** p;
    for (let p = 0; p < 3; p++) t[p]! += w * xi ** p * y[i]!;
  });
  const m = [[s[0]!, s[1]!, s[2]!], [s[1]!, s[2]!, s[3]!], [s[2]!, s[3]!, s[4]!]];
  const det = (a: number[][]) => a[0]![0]! * (a[1]![1]! * a[2]![2]! - a[1]![2]! * a[2]![1]!)
    - a[0]![1]! * (a[1]![0]! * a[2]![2]! - a[1]![2]! * a[2]![0]!) + a[0]![2]! * (a[1]![0]! * a[2]![1]! - a[1]![1]! * a[2]![0]!);
  const col = (k: number) => m.map((row, r) => row.map((v, c) => (c === k ? t[r]! : v)));
  const b = [0, 1, 2].map((k) => det(col(k)) / det(m));
  return b[0]! + b[1]! * x0 + b[2]! * x0 * x0;
}

test('default loess (span 0.75, degree 2) matches an independent weighted least-squares fit', () => {
  const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const y = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
  // q = floor(10 · 0.75) = 7 nearest points. From 5.5 the distances sorted are
  // 0.5 0.5 1.5 1.5 2.5 2.5 3.5 → h = 3.5; from 1 they are 0 1 … 6 → h = 6; from 7.3: 0.3 0.7
  // 1.3 1.7 2.3 2.7 3.3 → h = 3.3.
  const got = loess(x, y, [5.5, 1, 7.3]);
  close(got[0]!, reference(x, y, 5.5, 3.5), 1e-9);
  close(got[1]!, reference(x, y, 1, 6), 1e-9);
  close(got[2]!, reference(x, y, 7.3, 3.3), 1e-9);
});

test('span above 1 widens the bandwidth beyond the farthest point, as R does', () => {
  const x = [1, 2, 3, 4, 5, 6];
  const y = [2, 1, 3, 7, 4, 5];
  // All 6 points; farthest from 2 is at 4, times span 1.5 → h = 6.
  close(loess(x, y, [2], { span: 1.5 })[0]!, reference(x, y, 2, 6), 1e-9);
});

test('bad input is refused with the reason', () => {
  assert.throws(() => loess([1, 2, 3], [1, 2], [1]), /x has 3 values but y has 2/);
  assert.throws(() => loess([1, 2, 3], [1, 2, 3], [1]), /leaves 2 in each neighbourhood; need at least 3/);
  assert.throws(() => loess([1, 2, 3, 4], [1, 2, 3, 4], [1], { span: 0 }), /span must be > 0/);
});
