import { existsSync } from 'node:fs';
import { squeezenet } from '../applications/squeezenet.js';
import { sequential } from '../models/factories.js';
import { freezeWeights, unfreezeWeights } from '../models/freeze.js';
import type { Model } from '../models/model.js';
import { setSeed } from '../tensor/random.js';
import { extractFeatures } from '../training/extract-features.js';
import { InputError } from './errors.js';
import { flowFrom, requireClasses } from './image-input.js';
import { defaultLearningRate, denseHead, FINE_TUNE_LEARNING_RATE, headFor, makeOptimizer } from './model-kinds.js';
import type { RunSession } from './run-session.js';
import { splitFolders, stepsFor, type TrainSettings } from './train-settings.js';

/** Fine-tuning unfreezes SqueezeNet from here on: its last two fire modules, the most task-specific filters. */
const FIRST_FINE_TUNED_LAYER = 'fire8/squeeze1x1';
/** SqueezeNet's global-average-pooled output: one value per channel of fire9. */
const FEATURES = 512;

/**
 * Transfer learning from SqueezeNet's ImageNet weights, as the lecture does with VGG16:
 * features of every image are computed once by the frozen base, a dense head is trained on
 * them (fast), and base + head are saved as one model that classifies images. For
 * 'squeezenet-finetune', the last fire modules are then unfrozen and the whole model trains
 * end to end on images at a low learning rate (with augmentation when asked).
 */
export async function trainSqueezenet(session: RunSession, s: TrainSettings, kind: 'squeezenet-features' | 'squeezenet-finetune'): Promise<Model> {
  const folders = splitFolders(s.data);
  if (s.weights !== 'imagenet' && !existsSync(s.weights)) throw new InputError(`weights file not found: ${s.weights}`);
  setSeed(s.seed);
  const imageSize: [number, number] = [s.imageSize, s.imageSize];
  const classes = requireClasses(folders.train);
  const { loss } = headFor(classes);
  const base = await squeezenet({ weights: s.weights, inputShape: [s.imageSize, s.imageSize, 3], pooling: 'avg' });
  freezeWeights(base);
  const head = denseHead(FEATURES, classes);
  const model = sequential([base, head], { name: kind.replace('-', '_') });
  const flow = { imageSize, preprocessing: 'caffe', batchSize: s.batchSize, classes } as const;
  const trainOnce = flowFrom(folders.train, flow);
  const validation = flowFrom(folders.validation, flow);
  await session.begin({ kind, model, preprocessing: 'caffe', imageSize, classIndices: { ...trainOnce.classIndices } });

  const samples = (n: number, steps?: number): number => Math.min(n, stepsFor(n, s.batchSize, steps) * s.batchSize);
  console.log('Extracting SqueezeNet features of the training images:');
  const train = await extractFeatures(base, trainOnce, { samples: samples(trainOnce.samples, s.stepsPerEpoch) });
  console.log('Extracting SqueezeNet features of the validation images:');
  const valid = await extractFeatures(base, validation, { samples: samples(validation.samples, s.validationSteps) });
  const learningRate = s.learningRate ?? defaultLearningRate(kind);
  head.compile({ optimizer: makeOptimizer(s.optimizer, learningRate), loss, metrics: ['acc'] });
  await session.phase('dense head on extracted features', (callbacks) => head.fit(train.features, train.labels, {
    epochs: s.epochs, batchSize: s.batchSize, validationData: [valid.features, valid.labels], seed: s.seed, callbacks,
  }), false);

  if (kind === 'squeezenet-finetune' && !session.guard.stopped) {
    unfreezeWeights(base, { from: FIRST_FINE_TUNED_LAYER });
    model.compile({ optimizer: makeOptimizer(s.optimizer, FINE_TUNE_LEARNING_RATE), loss, metrics: ['acc'] });
    const images = flowFrom(folders.train, { ...flow, augment: s.augment, shuffle: true, seed: s.seed });
    await session.phase('fine-tuning fire8 and fire9', (callbacks) => model.fit(images, {
      epochs: s.epochs, stepsPerEpoch: stepsFor(images.samples, s.batchSize, s.stepsPerEpoch),
      validationData: flowFrom(folders.validation, flow), validationSteps: stepsFor(validation.samples, s.batchSize, s.validationSteps),
      seed: s.seed, callbacks,
    }), true);
  } else {
    // Saved with a compile state, so `deeptype evaluate` and further training work on the file.
    model.compile({ optimizer: makeOptimizer(s.optimizer, learningRate), loss, metrics: ['acc'] });
  }
  return model;
}
