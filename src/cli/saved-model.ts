import { existsSync, statSync } from 'node:fs';
import { loadModel } from '../io/load-model.js';
import type { Model } from '../models/model.js';
import { InputError } from './errors.js';
import { type Preprocessing, readRunInfo } from './run-folder.js';

/** A saved model with what is needed to feed it images the way it was trained. */
export interface SavedModel {
  model: Model;
  imageSize: [number, number];
  preprocessing: Preprocessing;
  /** Class names by output index: from run.json, else the indices as text. */
  classNames: string[];
  /** Whether run.json was found beside the model (otherwise 1/255 rescaling is assumed). */
  fromRun: boolean;
}

/**
 * Loads a Keras model file, of any input (summary shows any model). Anything that is not a
 * loadable Keras model (missing, a folder, another format, weights only) is an input error
 * naming the file.
 */
export async function loadModelFile(file: string, compile = true): Promise<Model> {
  if (!existsSync(file)) throw new InputError(`model file not found: ${file}`);
  if (statSync(file).isDirectory()) throw new InputError(`${file} is a folder; expected a model file (.h5)`);
  return loadModel(file, { compile }).catch((error: Error) => {
    throw new InputError(error.message);
  });
}

/** Loads a model file for predict or evaluate: it must take RGB images. */
export async function loadSavedModel(file: string, compile = true): Promise<SavedModel> {
  const model = await loadModelFile(file, compile);
  const shape = model.batchInputShape;
  if (!shape || shape.length !== 4 || shape[1] === null || shape[2] === null || shape[3] !== 3) {
    throw new InputError(`${file}: expected a model of RGB images, input shape (None, height, width, 3)`);
  }
  const run = readRunInfo(file);
  const units = model.outputShape?.[model.outputShape.length - 1] ?? 1;
  const classNames = run
    ? Object.keys(run.classIndices).sort((a, b) => run.classIndices[a]! - run.classIndices[b]!)
    : Array.from({ length: Math.max(2, units) }, (_, i) => String(i));
  return { model, imageSize: [shape[1], shape[2]], preprocessing: run?.preprocessing ?? 'rescale', classNames, fromRun: run !== null };
}
