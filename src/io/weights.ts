import type { Model } from '../models/model.js';
import { childGroup, resolvePath, type StoredGroup, withH5Read } from './h5.js';
import { KerasH5Writer } from './keras-h5-writer.js';
import { writeLayerWeights } from './weights-layout.js';
import { applyAssignments, matchByName, matchTopologically } from './weights-matching.js';
import { isWeightsGroup, storedLayers } from './weights-reader.js';

export interface LoadWeightsOptions {
  /** Load into the layers whose names match the file's (how pretrained files are read); default false: by position. */
  byName?: boolean;
  /** With byName: warn and skip a layer whose weight count or shapes differ, instead of failing; default false. */
  skipMismatch?: boolean;
}

function requireBuilt(model: Model, what: string): void {
  if (!model.built) {
    throw new Error(`${model.name}.${what}: the model has no weights yet; give its first layer an inputShape (or run it once) first`);
  }
}

/**
 * Saves only the weights, in Keras's weights-file layout (`save_model_weights_hdf5`): root
 * attributes `layer_names`, `backend`, `keras_version`, a group per layer. The file is written
 * under a temporary name and renamed, so an existing file is replaced whole or not at all.
 * @example
 * await saveWeights(model, 'weights.h5');
 */
export async function saveWeights(model: Model, path: string): Promise<void> {
  requireBuilt(model, 'saveWeights');
  await KerasH5Writer.write(path, (file, writer) => writeLayerWeights(file, model.layers, writer));
}

/**
 * A weights file keeps its layers at the root; a full-model file in `/model_weights`.
 * @internal the reader's types stay out of the published declarations.
 */
export function weightsGroupOf(file: StoredGroup, path: string): StoredGroup {
  if (isWeightsGroup(file, path)) return file;
  const nested = childGroup(file, 'model_weights');
  if (nested && isWeightsGroup(nested, path)) return nested;
  throw new Error(`${path}: no Keras weights in this HDF5 file (neither a root 'layer_names' attribute nor a 'model_weights' group)`);
}

/**
 * Loads weights from a Keras HDF5 weights or model file (`load_model_weights_hdf5`). By
 * position (default), the k-th layer with weights takes the k-th stored one; `byName` matches
 * layer names instead, which is how pretrained files (Keras-1 ones included) are read. Every
 * value is read and checked before any is written, so a failed load leaves the model as it was.
 * @example
 * await loadWeights(convBase, 'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5', { byName: true });
 */
export async function loadWeights(model: Model, path: string, options: LoadWeightsOptions = {}): Promise<void> {
  requireBuilt(model, 'loadWeights');
  const full = resolvePath(path);
  await withH5Read(full, (file) => {
    const stored = storedLayers(weightsGroupOf(file, full), full);
    const assignments = options.byName
      ? matchByName(model.layers, stored, full, options.skipMismatch ?? false)
      : matchTopologically(model.layers, stored, full);
    applyAssignments(assignments);
  });
}
