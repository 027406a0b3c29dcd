/**
 * One deeptype run of bench/epoch.ts: the lecture's fit on the photos with every part of its
 * epochs timed (bench/epoch-probe.ts), and a training step and a validation batch timed alone
 * on images from the same iterators just before the last epoch and just after it.
 */
import { join } from 'node:path';
import { getBackend } from '../src/backend/index.js';
import { lectureConvnet } from '../src/cli/model-kinds.js';
import { DirectoryIterator } from '../src/data/directory-iterator.js';
import { ImageDataGenerator } from '../src/data/image-data-generator.js';
import { backendName, flowImagesFromDirectory, imageDataGenerator, optimizers, setSeed } from '../src/index.js';
import { packageVersion } from '../src/package-root.js';
import { testStep, trainStep } from '../src/training/train-step.js';
import { type Parts, EpochProbe } from './epoch-probe.js';
import { timeIt } from './harness.js';
import { type Experiment, RECIPES, VALIDATION } from './epoch-recipes.js';
import type { RunRecord } from './rounds.js';

const LECTURE_AUGMENTATION = { rotationRange: 40, widthShiftRange: 0.2, heightShiftRange: 0.2, shearRange: 0.2, zoomRange: 0.2, horizontalFlip: true };

export async function runDeeptype(data: string, experiment: Experiment, epochs: number): Promise<RunRecord> {
  const recipe = RECIPES[experiment];
  setSeed(1);
  const model = lectureConvnet([150, 150], recipe.dropout);
  model.compile({ optimizer: optimizers.rmsprop({ learningRate: 1e-4 }), loss: 'binary_crossentropy', metrics: ['acc'] });
  const rescale = { rescale: 1 / 255 };
  const flow = (split: string, generator: ImageDataGenerator, batchSize: number): DirectoryIterator =>
    flowImagesFromDirectory(join(data, split), generator, { targetSize: [150, 150], batchSize, classMode: 'binary', seed: 7 });
  const train = flow('train', imageDataGenerator(recipe.augment ? { ...rescale, ...LECTURE_AUGMENTATION } : rescale), recipe.batchSize);
  const validation = flow('validation', imageDataGenerator(rescale), VALIDATION.batchSize);

  const probe = new EpochProbe();
  probe.wrapAll(getBackend(), 'kernels');
  probe.wrap(ImageDataGenerator.prototype, 'prepareInto', 'image preparation (warp, flip, rescale)');
  probe.wrap(ImageDataGenerator.prototype, 'prepareBatchInto', 'image preparation (warp, flip, rescale)');
  probe.wrap(ImageDataGenerator.prototype, 'transformInto', 'augmentation, unfolded');
  probe.wrap(ImageDataGenerator.prototype, 'standardizeInPlace', 'standardization, unfolded');
  probe.wrap(DirectoryIterator.prototype, 'assemble', 'batch assembly');
  probe.wrapWait(train, 'next', 'waiting for a batch');
  probe.wrapWait(validation, 'nextPlanned', 'waiting for a batch');
  const compiled = model.compiled!;
  for (const output of compiled.outputs) probe.wrap(output, 'loss', 'loss');
  for (const { metric } of compiled.metrics) probe.wrap(metric, 'update', 'metrics');
  probe.wrap(compiled.optimizer, 'applyGradients', 'optimizer');
  probe.wrap(process.stdout, 'write', 'progress output');

  const fit = (from: number, to: number): Promise<unknown> => model.fit(train, {
    epochs: to, initialEpoch: from, stepsPerEpoch: recipe.steps, validationData: validation,
    validationSteps: VALIDATION.steps, callbacks: [probe.callback(recipe.steps)],
  });
  // The same work timed alone: the kernels and the JS a step needs, nothing the epoch adds. Once
  // before the last epoch and once after it, so that the machine's drift (neighbours share its
  // cores) moves both sides alike; the mean time, since the epoch is a sum of steps.
  await fit(0, epochs - 1);
  const [x, y] = await train.next();
  const [xv, yv] = await validation.next();
  const alone = (): [number, number] => [timeIt(() => trainStep(model, compiled, () => [x, y]), 15, 0).meanMs,
    timeIt(() => testStep(model, compiled, () => [xv, yv]), 25, 0).meanMs];
  const before = alone();
  await fit(epochs - 1, epochs);
  const after = alone();
  const [trainStepMs, validationBatchMs] = [(before[0] + after[0]) / 2, (before[1] + after[1]) / 2];
  const kernelsAlone = recipe.steps * trainStepMs + VALIDATION.steps * validationBatchMs;
  return {
    tool: 'deeptype', version: `${packageVersion} (${backendName()} backend)`, experiment,
    epochSeconds: probe.epochs.map((e) => e.seconds),
    trainStepMs, validationBatchMs,
    overKernels: (probe.epochs.at(-1)!.seconds * 1000) / kernelsAlone,
    epochs: probe.epochs.map((e) => ({ ...e, train: withOther(e.train), validation: withOther(e.validation) })),
  };
}

/** The phase's parts rounded, plus what no probe saw: JS between kernels, autograd, callbacks. */
function withOther(parts: Parts): Record<string, number> {
  const seen = Object.entries(parts).filter(([k]) => k !== 'wall').reduce((s, [, v]) => s + v, 0);
  return Object.fromEntries(Object.entries({ ...parts, 'other JS': parts.wall - seen }).map(([k, v]) => [k, Math.round(v)]));
}
