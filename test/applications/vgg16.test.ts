import assert from 'node:assert/strict';
import { test } from 'node:test';
import { vgg16 } from '../../src/applications/vgg16.js';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import { freezeWeights, unfreezeWeights } from '../../src/models/freeze.js';
import { clearSession } from '../../src/models/naming.js';
import { tensor } from '../../src/tensor/create.js';

const quiet = { print: () => {} };

test('the lecture composite: VGG16 base at 150×150 plus a dense head, frozen and partly unfrozen', async () => {
  clearSession();
  const convBase = await vgg16({ weights: null, includeTop: false, inputShape: [150, 150, 3] });
  assert.equal(convBase.layers.length, 19);
  assert.equal(convBase.layers[15]!.name, 'block5_conv1', 'R index 16');
  assert.deepEqual(convBase.outputShape, [null, 4, 4, 512]);
  assert.equal(convBase.countParams(), 14_714_688);
  const base = convBase.summary(quiet);
  assert.match(base, /^input_1 \(InputLayer\) +\(None, 150, 150, 3\) +0 +$/m);
  assert.match(base, /^block3_conv1 \(Conv2D\) +\(None, 37, 37, 256\) +295168 +$/m);
  assert.match(base, /^block5_pool \(MaxPooling2D\) +\(None, 4, 4, 512\) +0 +$/m);

  const model = sequential([convBase, layers.flatten(), layers.dense({ units: 256, activation: 'relu' }),
    layers.dense({ units: 1, activation: 'sigmoid' })]);
  let text = model.summary(quiet);
  assert.match(text, /^vgg16 \(Model\) +\(None, 4, 4, 512\) +14714688 +$/m);
  assert.match(text, /^dense_1 \(Dense\) +\(None, 256\) +2097408 +$/m);
  assert.match(text, /Total params: 16,812,353\nTrainable params: 16,812,353\nNon-trainable params: 0/);
  assert.equal(model.trainableWeights.length, 30);

  freezeWeights(convBase);
  text = model.summary(quiet);
  assert.match(text, /Trainable params: 2,097,665\nNon-trainable params: 14,714,688/);
  assert.equal(model.trainableWeights.length, 4);

  unfreezeWeights(convBase, { from: 'block5_conv1' });
  text = model.summary(quiet);
  assert.match(text, /Trainable params: 9,177,089\nNon-trainable params: 7,635,264/);
  assert.equal(model.trainableWeights.length, 10);
});

test('VGG16 with the top: 138,357,544 params (architecture only, no weights)', async () => {
  clearSession();
  const full = await vgg16({ weights: null });
  assert.equal(full.countParams(), 138_357_544);
  assert.deepEqual(full.outputShape, [null, 1000]);
});

test('VGG16 argument checks and caffe preprocessing', async () => {
  await assert.rejects(vgg16({ weights: null, includeTop: false, inputShape: [16, 16, 3] }), /at least 32x32, got 16x16/);
  await assert.rejects(vgg16({ weights: 'imagenet', includeTop: true, inputShape: [150, 150, 3] }), /need inputShape \[224, 224, 3\]/);
  const out = vgg16.preprocessInput(tensor([255, 0, 0], [1, 1, 1, 3]));
  assert.deepEqual(Array.from(out.data).map((v) => Number(v.toFixed(3))), [-103.939, -116.779, 131.32]);
});
