/**
 * Step 6: fine-tuning. Train the dense head on the frozen base first (a random head would wreck
 * the pretrained filters), then unfreeze the base's last block and train both at a very low
 * learning rate. Finally, the test set.
 *   npx tsx examples/06-fine-tuning.ts [--data …] [--base squeezenet|vgg16] [--head-epochs 30] [--epochs 100]
 * Quick run: --head-epochs 1 --epochs 1 --steps 1 --validation-steps 1 --image-size 64
 * The last block: fire8 and fire9 in SqueezeNet, block5 in VGG16 (as in the lecture).
 */
import { freezeWeights, imageDataGenerator, layers, optimizers, sequential, unfreezeWeights } from '../src/index.js';
import { AUGMENTATION, basePreprocessing, convBase, exampleOptions, flow, saveResults } from './common.js';

const o = exampleOptions({ epochs: 100, headEpochs: 30 });

const base = await convBase(o);
const model = sequential([
  base,
  layers.flatten(),
  layers.dense({ units: 256, activation: 'relu' }),
  layers.dense({ units: 1, activation: 'sigmoid' }),
]);
const preprocess = basePreprocessing(o);
const trainGenerator = flow(o, 'train', imageDataGenerator({ preprocessingFunction: preprocess, ...AUGMENTATION }));
const validationGenerator = flow(o, 'validation', imageDataGenerator({ preprocessingFunction: preprocess }));
const fitOptions = { stepsPerEpoch: o.steps, validationData: validationGenerator, validationSteps: o.validationSteps };

freezeWeights(base);
model.compile({ loss: 'binary_crossentropy', optimizer: optimizers.rmsprop({ learningRate: 2e-5 }), metrics: ['acc'] });
console.log('Training the dense head on the frozen base:');
await model.fit(trainGenerator, { ...fitOptions, epochs: o.headEpochs });

unfreezeWeights(base, { from: o.base === 'squeezenet' ? 'fire8/squeeze1x1' : 'block5_conv1' });
// Compile again: the optimizer takes the list of trainable weights at compile time.
model.compile({ loss: 'binary_crossentropy', optimizer: optimizers.rmsprop({ learningRate: 1e-5 }), metrics: ['acc'] });
console.log('Fine-tuning the last block of the base together with the head:');
const history = await model.fit(trainGenerator, { ...fitOptions, epochs: o.epochs });
await saveResults(o, 'cats_and_dogs_small_4', model, history);

const testGenerator = flow(o, 'test', imageDataGenerator({ preprocessingFunction: preprocess }), false);
const { acc } = await model.evaluate(testGenerator, { steps: o.validationSteps });
console.log(`Test accuracy: ${(100 * acc!).toFixed(1)}%`);
