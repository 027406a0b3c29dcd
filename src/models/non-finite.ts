import type { Layer } from './layer.js';

/**
 * The name of the first weight of `model` holding NaN or ±Infinity, or null when all are
 * finite. A diverged run (or NaN input reaching the gradients) leaves such weights, and a file
 * saved from them predicts nothing useful while looking like any other model.
 */
export function firstNonFiniteWeight(model: Layer): string | null {
  for (const w of model.weights) {
    const data = w.value.f32;
    for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return w.name;
  }
  return null;
}
