import { childGroup, nameListAttribute, StoredDataset, type StoredGroup } from './h5.js';

/** One weight array as stored: its name, shape and HDF5 type, read only on demand. */
export interface StoredWeight {
  name: string;
  shape: readonly number[];
  /** h5wasm's dtype string: '<f' is little-endian float32, the only type Keras writes. */
  dtype: string;
  read(): Float32Array;
}

/** One entry of `layer_names`, with its weights in `weight_names` order. */
export interface StoredLayer {
  name: string;
  weights: StoredWeight[];
}

/**
 * The layers of a Keras weights group (the file root of a weights-only file, or
 * `/model_weights`), in `layer_names` order. Only names listed in the attributes count: extra
 * groups such as tf.keras's `top_level_model_weights` are not layers. Datasets are found
 * through `weight_names`, never by building paths, since Keras-1 files name them freely
 * (`uniform1`, `conv1_b`).
 */
export function storedLayers(group: StoredGroup, file: string): StoredLayer[] {
  const where = `${file}: ${group.path}`;
  const layerNames = nameListAttribute(group, 'layer_names', where);
  if (layerNames === null) throw new Error(`${where}: no 'layer_names' attribute; expected a Keras weights group`);
  return layerNames.map((name) => {
    const layerGroup = childGroup(group, name);
    if (!layerGroup) throw new Error(`${file}: layer '${name}' is listed in layer_names but its group is missing`);
    const weightNames = nameListAttribute(layerGroup, 'weight_names', `${file}: layer '${name}'`);
    if (weightNames === null) throw new Error(`${file}: layer '${name}' has no 'weight_names' attribute`);
    return { name, weights: weightNames.map((w) => storedWeight(layerGroup, w, `${file}: layer '${name}'`)) };
  });
}

function storedWeight(layerGroup: StoredGroup, name: string, where: string): StoredWeight {
  const dataset = layerGroup.get(name);
  if (!(dataset instanceof StoredDataset)) throw new Error(`${where}: weight '${name}' is listed in weight_names but is not a dataset in the file`);
  const shape = dataset.shape;
  const dtype = String(dataset.dtype);
  return {
    name, shape, dtype,
    read(): Float32Array {
      if (dtype !== '<f') throw new Error(`${where}: weight '${name}' is stored as ${dtype}; expected little-endian float32 ('<f')`);
      const value = dataset.value;
      if (!(value instanceof Float32Array)) throw new Error(`${where}: weight '${name}' did not read as float32`);
      return value;
    },
  };
}

/** Whether `group` is a Keras weights group: it has `layer_names` (whole or in chunks). */
export function isWeightsGroup(group: StoredGroup, file: string): boolean {
  return nameListAttribute(group, 'layer_names', `${file}: ${group.path}`) !== null;
}
