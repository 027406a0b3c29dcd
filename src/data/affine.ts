/**
 * Augmentation geometry. 'legacy' (LG) is keras-preprocessing <= 1.1.2, i.e. Keras 2.2.x and
 * tf.keras <= 2.8, the lecture's era; 'fixed' (FG) is tf.keras >= 2.9 and Keras 3's legacy
 * module, which centres correctly but applies the matrix to (col, row).
 */
export type Geometry = 'legacy' | 'fixed';

/** The random parameters Keras draws for one image (`get_random_transform`). */
export interface TransformParams {
  /** Rotation in degrees. */
  theta: number;
  /** Shift of the first matrix axis (rows in LG, columns in FG), in pixels. */
  tx: number;
  /** Shift of the second matrix axis, in pixels. */
  ty: number;
  /** Shear angle in degrees. */
  shear: number;
  zx: number;
  zy: number;
  flipHorizontal: boolean;
  flipVertical: boolean;
  channelShiftIntensity: number | null;
  brightness: number | null;
}

/** Identity parameters, a base for hand-written transforms. */
export const IDENTITY_TRANSFORM: Readonly<TransformParams> = Object.freeze({
  theta: 0, tx: 0, ty: 0, shear: 0, zx: 1, zy: 1,
  flipHorizontal: false, flipVertical: false, channelShiftIntensity: null, brightness: null,
});

/**
 * Pull map from an output pixel (r, c) to the input sampling point:
 * rowIn = r0 + rr·r + rc·c, colIn = c0 + cr·r + cc·c.
 */
export interface InverseMap {
  rr: number; rc: number; r0: number;
  cr: number; cc: number; c0: number;
}

type M3 = number[][];

function dot(a: M3, b: M3): M3 {
  return a.map((row) => [0, 1, 2].map((j) => row[0]! * b[0]![j]! + row[1]! * b[1]![j]! + row[2]! * b[2]![j]!));
}

/**
 * Keras's `apply_affine_transform` matrix: Rot(θ)·Shift(tx, ty)·Shear(φ)·Zoom(zx, zy), only
 * the non-identity pieces, centred at (H/2 + 0.5, W/2 + 0.5) in LG (Keras's off-by-one
 * centre, kept for parity) or (H/2 − 0.5, W/2 − 0.5) in FG. Null when nothing moves, so the
 * caller can skip resampling entirely as Keras does.
 */
export function inverseMap(p: TransformParams, height: number, width: number, geometry: Geometry): InverseMap | null {
  const deg = Math.PI / 180;
  const pieces: M3[] = [];
  if (p.theta !== 0) {
    const t = p.theta * deg;
    pieces.push([[Math.cos(t), -Math.sin(t), 0], [Math.sin(t), Math.cos(t), 0], [0, 0, 1]]);
  }
  if (p.tx !== 0 || p.ty !== 0) pieces.push([[1, 0, p.tx], [0, 1, p.ty], [0, 0, 1]]);
  if (p.shear !== 0) {
    const s = p.shear * deg;
    pieces.push([[1, -Math.sin(s), 0], [0, Math.cos(s), 0], [0, 0, 1]]);
  }
  if (p.zx !== 1 || p.zy !== 1) pieces.push([[p.zx, 0, 0], [0, p.zy, 0], [0, 0, 1]]);
  if (pieces.length === 0) return null;
  const m = pieces.reduce((acc, piece) => dot(acc, piece));
  const half = geometry === 'legacy' ? 0.5 : -0.5;
  const o0 = height / 2 + half;
  const o1 = width / 2 + half;
  const t = dot(dot([[1, 0, o0], [0, 1, o1], [0, 0, 1]], m), [[1, 0, -o0], [0, 1, -o1], [0, 0, 1]]);
  const [a, b] = t as [number[], number[]];
  if (geometry === 'legacy') {
    return { rr: a[0]!, rc: a[1]!, r0: a[2]!, cr: b[0]!, cc: b[1]!, c0: b[2]! };
  }
  // FG: (colIn, rowIn) = T·(colOut, rowOut, 1).
  return { rr: b[1]!, rc: b[0]!, r0: b[2]!, cr: a[1]!, cc: a[0]!, c0: a[2]! };
}
