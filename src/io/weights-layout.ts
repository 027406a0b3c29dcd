import type { Layer } from '../models/layer.js';
import { type Group, isGroup } from './h5.js';
import { BACKEND, ensureParent, KERAS_VERSION, type KerasH5Writer } from './keras-h5-writer.js';

/**
 * Writes Keras's weights layout into `group` (the root of a weights file, or `/model_weights`):
 * attributes `layer_names`, `backend`, `keras_version`; a group per layer, weightless ones
 * included, with `weight_names` and one float32 dataset per weight, trainable weights first.
 */
export function writeLayerWeights(group: Group, layers: readonly Layer[], writer: KerasH5Writer): void {
  writer.names(group, 'layer_names', layers.map((l) => l.name));
  writer.text(group, 'backend', BACKEND);
  writer.text(group, 'keras_version', KERAS_VERSION);
  for (const layer of layers) {
    const layerGroup = ensureGroup(group, layer.name);
    const weights = layer.weights;
    const names = uniqueWeightNames(weights.map((w) => w.name));
    writer.names(layerGroup, 'weight_names', names);
    writer.variables(layerGroup, names, weights);
  }
}

/** Keras's rule for repeated names within one layer group: `x:0`, `x_1:0`, `x_2:0`, … */
export function uniqueWeightNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = seen.get(name) ?? 0;
    seen.set(name, count + 1);
    if (count === 0) return name;
    const colon = name.lastIndexOf(':');
    return colon >= 0 ? `${name.slice(0, colon)}_${count}${name.slice(colon)}` : `${name}_${count}`;
  });
}

function ensureGroup(group: Group, path: string): Group {
  const { parent, leaf } = ensureParent(group, path);
  const existing = parent.get(leaf);
  return isGroup(existing) ? existing : parent.create_group(leaf);
}
