/**
 * Step 3: fight overfitting with data augmentation and dropout (the lecture runs 100 epochs).
 *   npx tsx examples/03-augmentation.ts [--data …] [--epochs 100]
 * Runs small by default; --lecture uses the lecture's settings, and every flag overrides either.
 * First writes a picture of four augmented versions of one training cat, then trains.
 */
import { join } from 'node:path';
import { augmentationPreview, imageDataGenerator, layers, optimizers, sequential } from '../src/index.js';
import { AUGMENTATION, exampleOptions, flow, saveResults } from './common.js';

const o = exampleOptions({ epochs: 100 });

const datagen = imageDataGenerator({ rescale: 1 / 255, ...AUGMENTATION });
const trainGenerator = flow(o, 'train', datagen);
// Validation images are never augmented.
const validationGenerator = flow(o, 'validation', imageDataGenerator({ rescale: 1 / 255 }));

const preview = join(o.out, 'augmented_cat.png');
await augmentationPreview(trainGenerator.filepaths[2]!, datagen, { n: 4, file: preview, targetSize: [o.imageSize, o.imageSize] });
console.log(`Four augmented versions of one training image: ${preview}`);

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
  layers.dropout({ rate: 0.5 }),
  layers.dense({ units: 512, activation: 'relu' }),
  layers.dense({ units: 1, activation: 'sigmoid' }),
]);
model.compile({ loss: 'binary_crossentropy', optimizer: optimizers.rmsprop({ learningRate: 1e-4 }), metrics: ['acc'] });

const history = await model.fit(trainGenerator, {
  stepsPerEpoch: o.steps, epochs: o.epochs, validationData: validationGenerator, validationSteps: o.validationSteps,
});
await saveResults(o, 'cats_and_dogs_small_2', model, history);
