import type { Model } from '../models/model.js';
import { setSeed } from '../tensor/random.js';
import { InputError } from './errors.js';
import { flowFrom, requireClasses } from './image-input.js';
import { defaultLearningRate, headFor, lectureConvnet, makeOptimizer, preprocessingOf } from './model-kinds.js';
import { requireClassifier } from './predictions.js';
import { type Preprocessing, readRunInfo } from './run-folder.js';
import { loadModelFile } from './saved-model.js';
import type { RunSession } from './run-session.js';
import { splitFolders, stepsFor, type TrainSettings } from './train-settings.js';

interface Prepared {
  model: Model;
  preprocessing: Preprocessing;
  imageSize: [number, number];
}

/** The lecture's convnet (with dropout for 'lecture-dropout') for `classes` classes, compiled as in the lecture. */
function buildLecture(kind: 'lecture' | 'lecture-dropout', s: TrainSettings, classes: number): Prepared {
  const imageSize: [number, number] = [s.imageSize, s.imageSize];
  const model = lectureConvnet(imageSize, kind === 'lecture-dropout', classes);
  model.compile({ optimizer: makeOptimizer(s.optimizer, s.learningRate ?? defaultLearningRate(kind)), loss: headFor(classes).loss, metrics: ['acc'] });
  return { model, preprocessing: preprocessingOf(kind), imageSize };
}

/**
 * A saved model to train further: its own image size, the preprocessing its run.json records
 * (1/255 without one), and its saved optimizer state unless --lr or --optimizer ask for a new one.
 */
async function loadForTraining(file: string, s: TrainSettings, optimizerChosen: boolean, classes: number): Promise<Prepared> {
  const model = await loadModelFile(file);
  const own = requireClassifier(model, file);
  if (own !== classes) throw new InputError(`${file} tells ${own} classes apart, but the training folder has ${classes} class folders`);
  const shape = model.batchInputShape;
  if (!shape || shape.length !== 4 || shape[1] === null || shape[2] === null) {
    throw new InputError(`${file}: expected a model of images (None, height, width, 3)`);
  }
  if (!model.compiled || optimizerChosen || s.learningRate !== undefined) {
    model.compile({ optimizer: makeOptimizer(s.optimizer, s.learningRate ?? 1e-4), loss: headFor(classes).loss, metrics: ['acc'] });
  }
  return { model, preprocessing: readRunInfo(file)?.preprocessing ?? 'rescale', imageSize: [shape[1], shape[2]] };
}

/**
 * Trains a convnet on image batches read from train/, validating on validation/ after each
 * epoch: the lecture's from-scratch runs, or more epochs for a saved model.
 */
export async function trainOnImages(session: RunSession, s: TrainSettings, optimizerChosen: boolean): Promise<Model> {
  const folders = splitFolders(s.data);
  const classes = requireClasses(folders.train);
  setSeed(s.seed);
  const { model, preprocessing, imageSize } = s.model === 'lecture' || s.model === 'lecture-dropout'
    ? buildLecture(s.model, s, classes) : await loadForTraining(s.model, s, optimizerChosen, classes);
  const flow = { imageSize, preprocessing, batchSize: s.batchSize, classes };
  const train = flowFrom(folders.train, { ...flow, augment: s.augment, shuffle: true, seed: s.seed });
  const validation = flowFrom(folders.validation, flow);
  await session.begin({ kind: s.model, model, preprocessing, imageSize, classIndices: { ...train.classIndices } });
  await session.phase('training', (callbacks) => model.fit(train, {
    epochs: s.epochs, stepsPerEpoch: stepsFor(train.samples, s.batchSize, s.stepsPerEpoch),
    validationData: validation, validationSteps: stepsFor(validation.samples, s.batchSize, s.validationSteps),
    seed: s.seed, callbacks,
  }), true);
  return model;
}
