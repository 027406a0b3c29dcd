import type { Model } from '../models/model.js';
import { withWeightBudget } from '../models/weight-budget.js';
import { sizeOf } from '../tensor/shape.js';
import { childGroup, resolvePath, stringAttribute, withH5Read } from './h5.js';
import { modelFromConfig } from './keras-config.js';
import { fromKeras3 } from './keras3-config.js';
import { restoreOptimizerWeights } from './optimizer-weights.js';
import { loadKerasArchive } from './keras-archive.js';
import { isKerasArchiveName } from './save-model.js';
import { parseJsonAttribute } from './python-json.js';
import { compileFromTrainingConfig } from './training-config.js';
import { applyAssignments, matchTopologically } from './weights-matching.js';
import { storedLayers } from './weights-reader.js';

export interface LoadModelOptions {
  /** Restore the compile state (optimizer, loss, metrics) when the file has one; default true. */
  compile?: boolean;
}

/**
 * Loads a model saved by `saveModel`, Keras 2.2.4, tf.keras 2.x or Keras 3 (`.h5`, and `.keras`
 * archives through loadKerasArchive): it
 * rebuilds the layers from `model_config` (only the known layer classes; nothing in the file
 * is run as code), loads the weights, and compiles it with the saved optimizer, its state and
 * step count, loss and metrics, so `fit` continues where training stopped. Any problem is an
 * error naming the file and the layer; no half-loaded model is ever returned.
 * @example
 * const model = await loadModel('cats_and_dogs_small_1.h5');
 */
export async function loadModel(path: string, options: LoadModelOptions = {}): Promise<Model> {
  const full = resolvePath(path);
  if (isKerasArchiveName(full)) return loadKerasArchive(full, options);
  return withH5Read(full, (file) => {
    const configText = stringAttribute(file, 'model_config', full);
    if (configText === null) {
      throw new Error(`${full}: no model_config attribute, so this is a weights-only file; build the model and call loadWeights`);
    }
    const config = parseJsonAttribute(configText, full, 'model_config');
    const weightsGroup = childGroup(file, 'model_weights');
    if (!weightsGroup) throw new Error(`${full}: no /model_weights group; expected a Keras full-model file`);
    const stored = storedLayers(weightsGroup, full);
    const sizes = stored.flatMap((l) => l.weights.map((w) => ({ name: w.name, size: sizeOf(w.shape) })));
    const where = `${full}: model_config`;
    const model = withWeightBudget(sizes, full, () => {
      try {
        return modelFromConfig(fromKeras3(config), where);
      } catch (e) {
        // A layer refusing what the config asks of it (a window larger than its input) names only itself.
        throw e instanceof Error && !e.message.includes(full) ? new Error(`${where}: ${e.message}`) : e;
      }
    });
    if (!model.built) throw new Error(`${full}: model_config gives no input shape (batch_input_shape), so the weights cannot be placed`);
    applyAssignments(matchTopologically(model.layers, stored, full));
    const trainingText = options.compile === false ? null : stringAttribute(file, 'training_config', full);
    if (trainingText !== null) {
      compileFromTrainingConfig(model, parseJsonAttribute(trainingText, full, 'training_config'), full);
      restoreOptimizerWeights(file, model.compiled!, full);
    }
    return model;
  });
}
