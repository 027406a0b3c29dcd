import type { AdamOptions, RmspropOptions, SgdOptions } from '../backend.js';

export function sgdUpdate(w: Float32Array, g: Float32Array, velocity: Float32Array | null, o: SgdOptions): void {
  if (!velocity) {
    for (let i = 0; i < w.length; i++) w[i] -= o.learningRate * g[i]!;
    return;
  }
  for (let i = 0; i < w.length; i++) {
    const v = o.momentum * velocity[i]! - o.learningRate * g[i]!;
    velocity[i] = v;
    w[i] += o.nesterov ? o.momentum * v - o.learningRate * g[i]! : v;
  }
}

export function rmspropUpdate(w: Float32Array, g: Float32Array, a: Float32Array, o: RmspropOptions): void {
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    const ai = o.rho * a[i]! + (1 - o.rho) * gi * gi;
    a[i] = ai;
    w[i] -= (o.learningRate * gi) / (Math.sqrt(ai) + o.epsilon);
  }
}

export function adamUpdate(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, o: AdamOptions): void {
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    const mi = o.beta1 * m[i]! + (1 - o.beta1) * gi;
    const vi = o.beta2 * v[i]! + (1 - o.beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i] -= (o.learningRate * mi) / (Math.sqrt(vi) + o.epsilon);
  }
}
