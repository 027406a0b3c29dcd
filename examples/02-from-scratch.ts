/**
 * Step 2: train the lecture's convnet from scratch on 2,000 images (30 epochs of 100 steps).
 *   npx tsx examples/02-from-scratch.ts [--data ../shared/data/cats_and_dogs_small] [--epochs 30]
 * Runs small by default; --lecture uses the lecture's settings, and every flag overrides either.
 * Expect about 70% validation accuracy and clear overfitting after a few epochs.
 */
import { imageDataGenerator, layers, optimizers, sequential } from '../src/index.js';
import { exampleOptions, flow, saveResults } from './common.js';

const o = exampleOptions({ epochs: 30 });

const model = sequential([
  layers.conv2d({ filters: 32, kernelSize: [3, 3], activation: 'relu', inputShape: [o.imageSize, o.imageSize, 3] }),
  layers.maxPooling2d({ poolSize: [2, 2] }),
  layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }),
  layers.maxPooling2d({ poolSize: [2, 2] }),
  layers.conv2d({ filters: 128, kernelSize: [3, 3], activation: 'relu' }),
  layers.maxPooling2d({ poolSize: [2, 2] }),
  layers.conv2d({ filters: 128, kernelSize: [3, 3], activation: 'relu' }),
  layers.maxPooling2d({ poolSize: [2, 2] }),
  layers.flatten(),
  layers.dense({ units: 512, activation: 'relu' }),
  layers.dense({ units: 1, activation: 'sigmoid' }),
]);
model.compile({ loss: 'binary_crossentropy', optimizer: optimizers.rmsprop({ learningRate: 1e-4 }), metrics: ['acc'] });

// All images rescaled by 1/255.
const trainGenerator = flow(o, 'train', imageDataGenerator({ rescale: 1 / 255 }));
const validationGenerator = flow(o, 'validation', imageDataGenerator({ rescale: 1 / 255 }));

const history = await model.fit(trainGenerator, {
  stepsPerEpoch: o.steps, epochs: o.epochs, validationData: validationGenerator, validationSteps: o.validationSteps,
});
await saveResults(o, 'cats_and_dogs_small_1', model, history);
