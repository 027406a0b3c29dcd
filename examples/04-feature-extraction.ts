/**
 * Step 4: fast feature extraction without augmentation. The pretrained conv base runs once over
 * every image; a small dense classifier is then trained on the stored features.
 *   npx tsx examples/04-feature-extraction.ts [--data …] [--base squeezenet|vgg16] [--weights file.h5]
 * Runs small by default; --lecture uses the lecture's settings, and every flag overrides either.
 * The lecture uses VGG16; its weights are not available offline, so SqueezeNet is the default.
 */
import { extractFeatures, imageDataGenerator, layers, optimizers, sequential } from '../src/index.js';
import { basePreprocessing, convBase, exampleOptions, flow, saveResults } from './common.js';

const o = exampleOptions({ epochs: 30 });

const base = await convBase(o);
base.summary();

const datagen = imageDataGenerator({ preprocessingFunction: basePreprocessing(o) });
const train = await extractFeatures(base, flow(o, 'train', datagen, false), { samples: o.steps * o.batchSize });
const validation = await extractFeatures(base, flow(o, 'validation', datagen, false), { samples: o.validationSteps * o.batchSize });
const test = await extractFeatures(base, flow(o, 'test', datagen, false), { samples: o.validationSteps * o.batchSize });

const model = sequential([
  layers.flatten({ inputShape: train.features.shape.slice(1) }),
  layers.dense({ units: 256, activation: 'relu' }),
  layers.dropout({ rate: 0.5 }),
  layers.dense({ units: 1, activation: 'sigmoid' }),
]);
model.compile({ optimizer: optimizers.rmsprop({ learningRate: 2e-5 }), loss: 'binary_crossentropy', metrics: ['acc'] });

const history = await model.fit(train.features, train.labels, {
  epochs: o.epochs, batchSize: 20, validationData: [validation.features, validation.labels],
});
const { acc } = await model.evaluate(test.features, test.labels);
console.log(`Test accuracy on the extracted features: ${(100 * acc!).toFixed(1)}%`);
await saveResults(o, 'feature_extraction_head', model, history);
