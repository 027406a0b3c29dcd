/**
 * Reproduces the lecture's cats-vs-dogs experiments on ../shared/data/cats_and_dogs_small and
 * records each one's curves and figures under docs/results/ (read by docs/RESULTS.md):
 *   npx tsx scripts/reproduce-lecture.ts scratch|augment|features|finetune [--epochs N] [--batch-size B]
 * --batch-size sets the training generator's batch (default 20; the book's augmentation run uses 32).
 * Each record starts with the command, the commit and the machine it ran on.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  applications, backendName, extractFeatures, flowImagesFromDirectory, freezeWeights, imageDataGenerator,
  layers, optimizers, plotHistory, sequential, setSeed, unfreezeWeights, type History, type Model,
} from '../src/index.js';
import { lectureConvnet } from '../src/cli/model-kinds.js';
import { writeRecord } from '../bench/harness.js';

const DATA = '../shared/data/cats_and_dogs_small';
const OUT = 'docs/results';
const { positionals, values } = parseArgs({ allowPositionals: true, options: { epochs: { type: 'string' }, 'batch-size': { type: 'string', default: '20' } } });
const experiment = positionals[0];
const trainBatch = Number(values['batch-size']);
setSeed(2026);

const rescaled = imageDataGenerator({ rescale: 1 / 255 });
const augmented = imageDataGenerator({ rescale: 1 / 255, rotationRange: 40, widthShiftRange: 0.2, heightShiftRange: 0.2,
  shearRange: 0.2, zoomRange: 0.2, horizontalFlip: true });
const caffe = imageDataGenerator({ preprocessingFunction: applications.squeezenet.preprocessInput });
const caffeAugmented = imageDataGenerator({ preprocessingFunction: applications.squeezenet.preprocessInput, rotationRange: 40,
  widthShiftRange: 0.2, heightShiftRange: 0.2, shearRange: 0.2, zoomRange: 0.2, horizontalFlip: true });
const flow = (split: string, gen = rescaled, shuffle = true, batchSize = 20) =>
  flowImagesFromDirectory(join(DATA, split), gen, { targetSize: [150, 150], batchSize, classMode: 'binary', shuffle, seed: 7 });

interface Record {
  experiment: string; backend: string; epochs: number; batchSize: number; secondsPerEpoch: number;
  validationAccuracy: number; testAccuracy: number; history: History['history'];
}

async function save(name: string, history: History, model: Model, started: number, gen = rescaled): Promise<void> {
  const epochs = history.epoch.length;
  const test = await model.evaluate(flow('test', gen, false), { steps: 50 });
  const record: Record = {
    experiment: name, backend: backendName(), epochs, batchSize: trainBatch, secondsPerEpoch: (performance.now() - started) / 1000 / epochs,
    validationAccuracy: history.history.val_acc!.at(-1)!, testAccuracy: test.acc!, history: history.history,
  };
  writeRecord(join(OUT, `${name}.json`), record);
  await plotHistory(history, join(OUT, `${name}.png`));
  console.log(`${name}: validation ${record.validationAccuracy.toFixed(4)}, test ${record.testAccuracy.toFixed(4)}, ${record.secondsPerEpoch.toFixed(1)} s/epoch`);
}

function compileBinary(model: Model, learningRate: number): void {
  model.compile({ optimizer: optimizers.rmsprop({ learningRate }), loss: 'binary_crossentropy', metrics: ['acc'] });
}

async function scratch(epochs: number): Promise<void> {
  const model = lectureConvnet([150, 150], false);
  compileBinary(model, 1e-4);
  const started = performance.now();
  const history = await model.fit(flow('train', rescaled, true, trainBatch), { stepsPerEpoch: 100, epochs, validationData: flow('validation'), validationSteps: 50 });
  await save('scratch', history, model, started);
}

async function augment(epochs: number): Promise<void> {
  const model = sequential([...lectureConvnet([150, 150], false).layers.slice(0, 9), layers.dropout({ rate: 0.5 }),
    layers.dense({ units: 512, activation: 'relu' }), layers.dense({ units: 1, activation: 'sigmoid' })]);
  compileBinary(model, 1e-4);
  const started = performance.now();
  const history = await model.fit(flow('train', augmented, true, trainBatch), { stepsPerEpoch: 100, epochs, validationData: flow('validation'), validationSteps: 50 });
  await save('augment', history, model, started);
}

/** Feature extraction without augmentation, then the same head and base fine-tuned end to end. */
async function transfer(epochs: number, finetune: boolean): Promise<void> {
  const base = await applications.squeezenet({ weights: 'imagenet', inputShape: [150, 150, 3], pooling: 'avg' });
  const head = [layers.dense({ units: 256, activation: 'relu', inputShape: [512] }), layers.dropout({ rate: 0.5 }),
    layers.dense({ units: 1, activation: 'sigmoid' })];
  const started = performance.now();
  const train = await extractFeatures(base, flow('train', caffe, false), { samples: 2000 });
  const validation = await extractFeatures(base, flow('validation', caffe, false), { samples: 1000 });
  const classifier = sequential(head);
  compileBinary(classifier, 1e-4);
  const history = await classifier.fit(train.features, train.labels, { epochs, batchSize: 20, validationData: [validation.features, validation.labels] });
  const model = sequential([base, ...classifier.layers]);
  if (!finetune) {
    compileBinary(model, 2e-4);
    await save('features', history, model, started, caffe);
    return;
  }
  freezeWeights(base);
  unfreezeWeights(base, { from: 'fire8/squeeze1x1' });
  compileBinary(model, 1e-5);
  const tuneStarted = performance.now();
  const tuned = await model.fit(flow('train', caffeAugmented), { stepsPerEpoch: 100, epochs: Math.max(1, Math.round(epochs / 3)),
    validationData: flow('validation', caffe), validationSteps: 50 });
  await save('finetune', tuned, model, tuneStarted, caffe);
}

const epochs = Number(values.epochs ?? { scratch: 30, augment: 100, features: 30, finetune: 30 }[experiment ?? ''] ?? 0);
if (experiment === 'scratch') await scratch(epochs);
else if (experiment === 'augment') await augment(epochs);
else if (experiment === 'features') await transfer(epochs, false);
else if (experiment === 'finetune') await transfer(epochs, true);
else throw new Error(`expected scratch, augment, features or finetune, got ${experiment}`);
