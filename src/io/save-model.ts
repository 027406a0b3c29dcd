import type { Model } from '../models/model.js';
import { saveKerasArchive } from './keras-archive.js';
import { modelConfig } from './keras-config.js';
import { BACKEND, KERAS_VERSION, KerasH5Writer } from './keras-h5-writer.js';
import { writeOptimizerWeights } from './optimizer-weights.js';
import { pythonJson } from './python-json.js';
import { trainingConfig } from './training-config.js';
import { writeLayerWeights } from './weights-layout.js';

export interface SaveModelOptions {
  /** Also save the compile state (training_config) and the optimizer's state; default true. */
  includeOptimizer?: boolean;
}

/** A `.keras` name asks for Keras 3's zip archive; any other for HDF5. */
export const isKerasArchiveName = (path: string): boolean => /\.keras$/i.test(path);

/**
 * Saves the whole model as a Keras 2.2.4 HDF5 file (`save_model_hdf5`), or under a `.keras` name
 * as Keras 3's archive (see saveKerasArchive): architecture
 * (`model_config`), weights (`/model_weights`) and, when compiled, the training setup
 * (`training_config`) and optimizer state (`/optimizer_weights`), so `loadModel` can continue
 * training where it stopped. Keras 2.2.4 and tf.keras load the file too. It is written under a
 * temporary name and renamed, so an existing file is replaced whole or not at all.
 * @example
 * await saveModel(model, 'cats_and_dogs_small_1.h5');
 */
export async function saveModel(model: Model, path: string, options: SaveModelOptions = {}): Promise<void> {
  if (!model.built) throw new Error(`${model.name}.save: the model has no weights yet; give its first layer an inputShape first`);
  if (isKerasArchiveName(path)) {
    await saveKerasArchive(model, path, options.includeOptimizer === false ? null : model.compiled);
    return;
  }
  const config = pythonJson(modelConfig(model));
  const compiled = options.includeOptimizer === false ? null : model.compiled;
  await KerasH5Writer.write(path, (file, writer) => {
    writer.text(file, 'keras_version', KERAS_VERSION);
    writer.text(file, 'backend', BACKEND);
    writer.text(file, 'model_config', config);
    writeLayerWeights(file.create_group('model_weights'), model.layers, writer);
    if (compiled) {
      writer.text(file, 'training_config', pythonJson(trainingConfig(compiled)));
      writeOptimizerWeights(file, compiled, writer);
    }
  });
}
