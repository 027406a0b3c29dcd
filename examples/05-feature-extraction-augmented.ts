/**
 * Step 5: feature extraction with augmentation. The frozen conv base sits inside the model, so
 * every augmented image goes through it at each epoch: slower, but it no longer overfits.
 *   npx tsx examples/05-feature-extraction-augmented.ts [--data …] [--base squeezenet|vgg16] [--weights file.h5]
 * Runs small by default; --lecture uses the lecture's settings, and every flag overrides either.
 */
import { freezeWeights, imageDataGenerator, layers, optimizers, sequential } from '../src/index.js';
import { AUGMENTATION, basePreprocessing, convBase, exampleOptions, flow, saveResults } from './common.js';

const o = exampleOptions({ epochs: 30 });

const base = await convBase(o);
const model = sequential([
  base,
  layers.flatten(),
  layers.dense({ units: 256, activation: 'relu' }),
  layers.dense({ units: 1, activation: 'sigmoid' }),
]);
console.log(`Trainable weights before freezing the base: ${model.trainableWeights.length}`);
freezeWeights(base);
console.log(`Trainable weights after freezing the base: ${model.trainableWeights.length}`);

const preprocess = basePreprocessing(o);
const trainGenerator = flow(o, 'train', imageDataGenerator({ preprocessingFunction: preprocess, ...AUGMENTATION }));
const validationGenerator = flow(o, 'validation', imageDataGenerator({ preprocessingFunction: preprocess }));

model.compile({ loss: 'binary_crossentropy', optimizer: optimizers.rmsprop({ learningRate: 2e-5 }), metrics: ['acc'] });
const history = await model.fit(trainGenerator, {
  stepsPerEpoch: o.steps, epochs: o.epochs, validationData: validationGenerator, validationSteps: o.validationSteps,
});
await saveResults(o, 'cats_and_dogs_small_3', model, history);
