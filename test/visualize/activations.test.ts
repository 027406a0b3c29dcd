import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import { clearSession } from '../../src/models/naming.js';
import { setSeed } from '../../src/tensor/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { activations, channelImage, plotActivations } from '../../src/visualize/activations.js';
import { randomTensor } from '../helpers/grad-check.js';
import { inTempDir, pngSize } from '../helpers/visualize.js';

function lectureLike() {
  clearSession();
  setSeed(5);
  const inner = sequential([
    layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [10, 10, 3] }),
    layers.maxPooling2d({ poolSize: 2 }),
  ], { name: 'base' });
  return sequential([inner, layers.conv2d({ filters: 2, kernelSize: 3, activation: 'relu' }), layers.flatten(),
    layers.dense({ units: 1, activation: 'sigmoid' })]);
}

test('activations gives every feature-map layer\'s output, nested models opened, equal to running the layers one by one', async () => {
  const model = lectureLike();
  const image = randomTensor([10, 10, 3], 1, 0, 1);
  const acts = await activations(model, image);
  assert.deepEqual([...acts.keys()], ['conv2d_1', 'max_pooling2d_1', 'conv2d_2']);
  assert.deepEqual(acts.get('max_pooling2d_1')!.shape, [1, 4, 4, 4]);
  const x = new Tensor(image.f32, [1, 10, 10, 3]);
  const inner = (model.layers[0] as typeof model).layers;
  const conv = inner[0]!.apply(x);
  assert.deepEqual(acts.get('conv2d_1')!.f32, conv.f32);
  assert.deepEqual(acts.get('conv2d_2')!.f32, model.layers[1]!.apply(inner[1]!.apply(conv)).f32);
  const chosen = await activations(model, image, { layers: ['conv2d_2', 'dense_1'] });
  assert.deepEqual([...chosen.keys()], ['conv2d_2', 'dense_1']);
  assert.deepEqual(chosen.get('dense_1')!.f32, (await model.predict(x)).f32);
  await assert.rejects(activations(model, image, { layers: ['conv9'] }), /no layer named 'conv9'; its layers are conv2d_1, max_pooling2d_1, base, conv2d_2, flatten_1, dense_1/);
});

test('a channel is drawn as the book scales it: (v − mean) / std × 64 + 128, clipped; a dead channel is blank', () => {
  // Channel 0 holds −1, 1, −1, 1 (mean 0, std 1); channel 1 is all zeros.
  const act = new Tensor(Float32Array.from([-1, 0, 1, 0, -1, 0, 1, 0]), [1, 2, 2, 2]);
  assert.deepEqual(Array.from(channelImage(act, 0).data), [64, 192, 64, 192]);
  assert.deepEqual(Array.from(channelImage(act, 1).data), [255, 255, 255, 255]);
  const spike = new Tensor(Float32Array.from({ length: 100 }, (_, i) => (i === 0 ? 100 : 0)), [1, 10, 10, 1]);
  assert.equal(channelImage(spike, 0).data[0], 255);
});

test('plotActivations draws one titled grid per layer, one under the other', async () => {
  const model = lectureLike();
  const acts = await activations(model, randomTensor([10, 10, 3], 2, 0, 1), { layers: ['conv2d_1', 'conv2d_2'] });
  await inTempDir(async (dir) => {
    const file = await plotActivations(acts, `${dir}/acts.png`, { columns: 2, minTileSize: 1 });
    // conv2d_1: 4 channels of 8×8 in 2 rows of 2 (2 px padding) under a 22 px title; conv2d_2: 2 of 2×2 in one row.
    // Both titles ('conv2d_1 [8×8×4]', 16 characters) are wider than the grids: 8 px a character and 8 more.
    const title = 8 * 16 + 8;
    assert.deepEqual(await pngSize(file), [title, (22 + 2 + 2 * 10) + (22 + 2 + 4)]);
    // By default, maps under 48 px are enlarged by a whole factor: 8×8 by 6, 2×2 by 24, both to 48 px tiles.
    const enlarged = await plotActivations(acts, `${dir}/big.png`, { columns: 2 });
    assert.deepEqual(await pngSize(enlarged), [Math.max(title, 2 + 2 * 50), (22 + 2 + 2 * 50) + (22 + 2 + 50)]);
    await assert.rejects(plotActivations(new Map([['dense', new Tensor(new Float32Array(2), [1, 2])]]), `${dir}/x.png`),
      /layer dense has output shape \[1, 2\]; only feature maps/);
  });
});
