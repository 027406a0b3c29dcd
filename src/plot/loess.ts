export interface LoessOptions {
  /** Fraction of the points in each local neighbourhood; R's default 0.75. */
  span?: number;
  /** Degree of the local polynomial, 1 or 2; R's default 2. */
  degree?: 1 | 2;
}

/**
 * Local regression of y on x evaluated at `xout`, as R's `loess(y ~ x)` computes it with its
 * defaults (span 0.75, degree 2, gaussian family: tricube weights, no robustness iterations).
 * plotHistory draws it because ggplot's `geom_smooth()` uses loess for fewer than 1000 points,
 * so the smooth curves look like the ones R users know.
 *
 * Each value is evaluated exactly (R's `surface = "direct"`); R's default surface instead
 * interpolates between exact fits at k-d tree vertices, which differs in about the third digit.
 * @example loess([1, 2, 3, 4], [1, 4, 9, 16], [2.5], { span: 1 }) // ≈ [6.25]
 */
export function loess(x: ArrayLike<number>, y: ArrayLike<number>, xout: ArrayLike<number>,
  options: LoessOptions = {}): Float64Array {
  const span = options.span ?? 0.75;
  const degree = options.degree ?? 2;
  const n = x.length;
  if (y.length !== n) throw new Error(`loess: x has ${n} values but y has ${y.length}; pass one y per x`);
  if (!(span > 0)) throw new Error(`loess: span must be > 0, got ${span}`);
  if (degree !== 1 && degree !== 2) throw new Error(`loess: degree must be 1 or 2, got ${degree}`);
  // R's neighbourhood size: floor(n·span) points, and it refuses fewer than degree + 1.
  const q = Math.min(Math.floor(n * span), n);
  if (q < degree + 1) {
    throw new Error(`loess: span ${span} on ${n} points leaves ${q} in each neighbourhood; need at least ${degree + 1} (raise span or add points)`);
  }
  const out = new Float64Array(xout.length);
  for (let k = 0; k < xout.length; k++) out[k] = fitAt(x, y, xout[k]!, q, Math.max(1, span), degree);
  return out;
}

/** Weighted least-squares polynomial through the q nearest points, evaluated at x0. */
function fitAt(x: ArrayLike<number>, y: ArrayLike<number>, x0: number, q: number, widen: number,
  degree: 1 | 2): number {
  const n = x.length;
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) dist[i] = Math.abs(x[i]! - x0);
  // Bandwidth: distance to the q-th nearest point, stretched by span when span > 1 (as in R).
  const h = Float64Array.from(dist).sort()[q - 1]! * widen;
  // Normal equations in powers of u = (x - x0) / h: centred, so the fit at x0 is the
  // intercept, and scaled, so the system stays well conditioned whatever the units of x.
  const m = degree + 1;
  const a = Array.from({ length: m }, () => new Float64Array(m + 1));
  for (let i = 0; i < n; i++) {
    const w = tricube(h > 0 ? dist[i]! / h : 0);
    if (w === 0) continue;
    const u = h > 0 ? (x[i]! - x0) / h : 0;
    const powers = degree === 2 ? [1, u, u * u] : [1, u];
    for (let r = 0; r < m; r++) {
      for (let c = 0; c < m; c++) a[r]![c]! += w * powers[r]! * powers[c]!;
      a[r]![m]! += w * powers[r]! * y[i]!;
    }
  }
  // a[0] holds Σw and Σw·y before elimination: the weighted mean is the fallback.
  return solveIntercept(a, a[0]![m]! / a[0]![0]!);
}

/** (1 - |t|³)³ inside the neighbourhood, 0 outside: nearby points count most. */
function tricube(t: number): number {
  if (t >= 1) return 0;
  const c = 1 - t * t * t;
  return c * c * c;
}

/**
 * Gaussian elimination with partial pivoting on the augmented normal equations; returns the
 * constant coefficient. A singular system (too few distinct x in the neighbourhood) falls back
 * to the weighted mean, the degree-0 fit, rather than returning NaN.
 */
function solveIntercept(a: Float64Array[], fallback: number): number {
  const m = a.length;
  const scale = Math.abs(a[0]![0]!);
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < 1e-12 * scale) return fallback;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = col + 1; r < m; r++) {
      const f = a[r]![col]! / a[col]![col]!;
      for (let c = col; c <= m; c++) a[r]![c]! -= f * a[col]![c]!;
    }
  }
  const coef = new Float64Array(m);
  for (let r = m - 1; r >= 0; r--) {
    let s = a[r]![m]!;
    for (let c = r + 1; c < m; c++) s -= a[r]![c]! * coef[c]!;
    coef[r] = s / a[r]![r]!;
  }
  return coef[0]!;
}
