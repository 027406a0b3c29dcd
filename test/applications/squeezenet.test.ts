import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { squeezenet } from '../../src/applications/squeezenet.js';
import { flowImagesFromDirectory } from '../../src/data/directory-iterator.js';
import { imageDataGenerator } from '../../src/data/image-data-generator.js';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import { clearSession } from '../../src/models/naming.js';
import { optimizers } from '../../src/optimizers/index.js';
import { setSeed } from '../../src/tensor/random.js';
import { extractFeatures } from '../../src/training/extract-features.js';
import { h5File } from '../helpers/h5.js';
import { DATA_DIR, needsData, SQUEEZENET_WEIGHTS } from '../helpers/paths.js';


test('SqueezeNet 1.1 base: shapes and the 722,496 parameters of the pretrained file', async () => {
  clearSession();
  const base = await squeezenet({ weights: null, inputShape: [227, 227, 3] });
  assert.equal(base.countParams(), 722_496);
  assert.deepEqual(base.outputShape, [null, 13, 13, 512]);
  const pooled = await squeezenet({ weights: null, inputShape: [150, 150, 3], pooling: 'avg' });
  assert.deepEqual(pooled.outputShape, [null, 512]);
  await assert.rejects(squeezenet({ weights: null, inputShape: [40, 40, 3] }), /at least 48x48, got 40x40/);
});

test('ImageNet features from the real weights separate cats from dogs', { skip: needsData }, async () => {
  clearSession();
  setSeed(1);
  const base = await squeezenet({ weights: 'imagenet', inputShape: [150, 150, 3], pooling: 'avg' });
  const file = await h5File(SQUEEZENET_WEIGHTS);
  const expected = file.get('conv1/uniform1') as { value: Float32Array };
  assert.deepEqual(base.getLayer('conv1').weights[0]!.value.f32.subarray(0, 16), expected.value.subarray(0, 16), 'Keras-1 names loaded by layer');
  file.close();

  const gen = imageDataGenerator({ preprocessingFunction: squeezenet.preprocessInput });
  const flow = (split: string, seed: number) => flowImagesFromDirectory(join(DATA_DIR, split), gen,
    { targetSize: [150, 150], batchSize: 20, classMode: 'binary', shuffle: true, seed });
  const [trainSamples, validationSamples] = [160, 100];
  const train = await extractFeatures(base, flow('train', 1), { samples: trainSamples, verbose: false });
  const validation = await extractFeatures(base, flow('validation', 2), { samples: validationSamples, verbose: false });
  assert.deepEqual(train.features.shape, [trainSamples, 512]);

  const head = sequential([layers.dense({ units: 1, activation: 'sigmoid', inputShape: [512] })]);
  head.compile({ optimizer: optimizers.rmsprop({ learningRate: 1e-3 }), loss: 'binary_crossentropy', metrics: ['acc'] });
  await head.fit(train.features, train.labels, { epochs: 30, batchSize: 20, verbose: 0 });
  const { acc } = await head.evaluate(validation.features, validation.labels);
  assert.ok(acc! >= 0.85, `validation accuracy on ${validationSamples} held-out images: ${acc}`);
});
