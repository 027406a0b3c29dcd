import type { Layer } from '../models/layer.js';
import type { Variable } from '../models/variable.js';
import type { StoredLayer } from './weights-reader.js';

/** A checked value for one weight, applied only once every weight of the load has been checked. */
export interface Assignment {
  variable: Variable;
  data: Float32Array;
}

/** numpy's way of printing shapes, as Keras's messages do: (3, 3, 4, 8), (4,). */
export const formatTuple = (shape: readonly number[]): string => `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;

/**
 * Pairs a model layer's weights with a stored layer's, by position (names inside files vary:
 * `conv2d_1/kernel:0`, `block1_conv1_W_1:0`, `uniform1`), checking count and shapes. Returns a
 * reason instead of assignments when they do not fit, so callers can raise it or skip.
 */
function pairWeights(layer: Layer, stored: StoredLayer, file: string): Assignment[] | string {
  const variables = layer.weights;
  const label = `${file}: layer '${layer.name}' (${layer.className})` + (stored.name !== layer.name ? ` ← file layer '${stored.name}'` : '');
  if (variables.length !== stored.weights.length) {
    return `${label} expects ${variables.length} weights, but the file has ${stored.weights.length} ` +
      `(${stored.weights.map((w) => `${w.name} ${formatTuple(w.shape)}`).join(', ') || 'none'})`;
  }
  for (const [i, v] of variables.entries()) {
    const w = stored.weights[i]!;
    if (v.shape.length !== w.shape.length || v.shape.some((d, k) => d !== w.shape[k])) {
      return `${label}: weight ${v.name} has shape ${formatTuple(v.shape)} in the model, but '${w.name}' in the file has shape ${formatTuple(w.shape)}`;
    }
  }
  return variables.map((variable, i) => ({ variable, data: stored.weights[i]!.read() }));
}

/**
 * Keras's topological load: the k-th model layer that has weights takes the k-th stored layer
 * that has weights; layer names are not compared.
 */
export function matchTopologically(layers: readonly Layer[], stored: readonly StoredLayer[], file: string): Assignment[] {
  const modelSide = layers.filter((l) => l.weights.length > 0);
  const fileSide = stored.filter((s) => s.weights.length > 0);
  if (modelSide.length !== fileSide.length) {
    throw new Error(`${file}: You are trying to load a weight file containing ${fileSide.length} layers into a model with ` +
      `${modelSide.length} layers. (File: ${fileSide.map((s) => s.name).join(', ') || 'none'}; model: ` +
      `${modelSide.map((l) => l.name).join(', ') || 'none'}.) Use byName: true to load matching names only.`);
  }
  return modelSide.flatMap((layer, k) => {
    const pairs = pairWeights(layer, fileSide[k]!, file);
    if (typeof pairs === 'string') throw new Error(`${pairs} (layer #${k + 1} with weights)`);
    return pairs;
  });
}

/**
 * Keras's load by name: each stored layer goes to the model layers of the same name. A layer
 * whose weights do not fit is an error, or with `skipMismatch` a warning and the layer is left
 * whole as it was (never half loaded). Unlike Keras, which skips names on one side only without
 * a word, a file that matches no layer is an error (an unrelated file would leave a "pretrained"
 * model randomly initialised), and one that matches only some says which were left unloaded.
 */
export function matchByName(layers: readonly Layer[], stored: readonly StoredLayer[], file: string,
  skipMismatch: boolean): Assignment[] {
  const assignments: Assignment[] = [];
  const loaded = new Set<Layer>();
  const skipped = new Set<Layer>();
  for (const s of stored) {
    for (const layer of layers.filter((l) => l.name === s.name)) {
      const pairs = pairWeights(layer, s, file);
      if (typeof pairs !== 'string') {
        assignments.push(...pairs);
        loaded.add(layer);
      } else if (skipMismatch) {
        console.warn(`${pairs}; skipping this layer (skipMismatch)`);
        skipped.add(layer);
      }
      else throw new Error(`${pairs}. Pass skipMismatch: true to skip such layers.`);
    }
  }
  const withWeights = layers.filter((l) => l.weights.length > 0);
  const unloaded = withWeights.filter((l) => !loaded.has(l) && !skipped.has(l)).map((l) => l.name);
  const loadedCount = withWeights.filter((l) => loaded.has(l)).length;
  const names = (list: readonly string[]): string => list.join(', ') || 'none';
  if (loadedCount === 0 && skipped.size === 0 && withWeights.length > 0) {
    throw new Error(`${file}: no layer of the model matches a layer of the file by name, so nothing was loaded ` +
      `(file: ${names(stored.filter((s) => s.weights.length > 0).map((s) => s.name))}; model: ${names(withWeights.map((l) => l.name))})`);
  }
  if (unloaded.length > 0) {
    console.warn(`${file}: loaded ${loadedCount} of ${withWeights.length} layers by name; left as they were: ${names(unloaded)}`);
  }
  return assignments;
}

/** Writes the checked values into the model's weights, in place. */
export function applyAssignments(assignments: readonly Assignment[]): void {
  for (const { variable, data } of assignments) variable.assign(data);
}
