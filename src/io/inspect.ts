import { childGroup, resolvePath, stringAttribute, withH5Read } from './h5.js';
import { weightsGroupOf } from './weights.js';
import { storedLayers } from './weights-reader.js';

/** Which Keras wrote a file: Keras 1 (no version), Keras ≤ 2.2 (`conv2d_1` names), tf.keras 2.x (`conv2d`). */
export type KerasFileProfile = 'K1' | 'K22' | 'TF2';

export interface KerasFileInfo {
  profile: KerasFileProfile;
  /** The root `keras_version`, or null (Keras 1 files have none). */
  kerasVersion: string | null;
  backend: string | null;
  /** 'model' for a full-model file, 'weights' for a weights-only file. */
  kind: 'model' | 'weights';
  hasTrainingConfig: boolean;
  hasOptimizerWeights: boolean;
  /** Stored layers in order, with their weights' names and shapes. */
  layers: { name: string; weights: { name: string; shape: readonly number[] }[] }[];
}

/**
 * Describes a Keras HDF5 file without building a model: which Keras wrote it, whether it is a
 * full model or weights only, and its layers and weight shapes.
 * @example
 * const info = await inspectKerasFile('model.h5'); // { profile: 'K22', kind: 'model', … }
 */
export async function inspectKerasFile(path: string): Promise<KerasFileInfo> {
  const full = resolvePath(path);
  return withH5Read(full, (file) => {
    const kerasVersion = stringAttribute(file, 'keras_version', full);
    const [major, minor] = (kerasVersion ?? '').split('.').map(Number);
    const profile: KerasFileProfile = kerasVersion === null ? 'K1' : major! < 2 || (major === 2 && minor! <= 2) ? 'K22' : 'TF2';
    return {
      profile, kerasVersion,
      backend: stringAttribute(file, 'backend', full),
      kind: stringAttribute(file, 'model_config', full) === null ? 'weights' : 'model',
      hasTrainingConfig: stringAttribute(file, 'training_config', full) !== null,
      hasOptimizerWeights: childGroup(file, 'optimizer_weights') !== null,
      layers: storedLayers(weightsGroupOf(file, full), full)
        .map((l) => ({ name: l.name, weights: l.weights.map((w) => ({ name: w.name, shape: w.shape })) })),
    };
  });
}
