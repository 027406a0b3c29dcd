import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layers } from '../../src/layers/index.js';
import type { Layer } from '../../src/models/layer.js';
import { clearSession } from '../../src/models/naming.js';
import { tensor } from '../../src/tensor/create.js';
import { setSeed } from '../../src/tensor/random.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { randomTensor } from '../helpers/grad-check.js';
import { runLayerTest } from '../helpers/layer-test.js';

const train = (layer: Layer, x: Tensor): number[] => Array.from(layer.apply(x, { training: true }).data);
const grid = tensor(Array.from({ length: 16 }, (_, i) => i), [1, 4, 4, 1]);

test('every random layer is the identity in inference', () => {
  const x = randomTensor([2, 4, 4, 3], 1, 0, 255);
  for (const layer of [layers.randomFlip(), layers.randomRotation({ factor: 0.2 }), layers.randomZoom({ heightFactor: 0.3 }),
    layers.randomTranslation({ heightFactor: 0.2, widthFactor: 0.2 }), layers.randomContrast({ factor: 0.5 })]) {
    assert.equal(layer.apply(x, { training: false }), x, layer.className);
  }
});

test('RandomFlip: each image is itself or its mirror, both happen, and setSeed repeats the draws', () => {
  const x = tensor(Array.from({ length: 40 }, (_, i) => [i, 100 + i]).flat(), [40, 1, 2, 1]);
  setSeed(7);
  const y = train(layers.randomFlip({ mode: 'horizontal' }), x);
  const flipped = Array.from({ length: 40 }, (_, i) => y[2 * i] === 100 + i && y[2 * i + 1] === i);
  const kept = Array.from({ length: 40 }, (_, i) => y[2 * i] === i && y[2 * i + 1] === 100 + i);
  assert.ok(flipped.every((f, i) => f !== kept[i]));
  assert.ok(flipped.filter(Boolean).length >= 10 && kept.filter(Boolean).length >= 10);
  setSeed(7);
  assert.deepEqual(train(layers.randomFlip({ mode: 'horizontal' }), x), y);
  assert.deepEqual(train(layers.randomFlip({ mode: 'vertical', seed: 3 }), x), Array.from(x.data), 'one row: nothing to flip');
});

test('RandomRotation by half a turn, RandomTranslation and RandomZoom with fixed factors move pixels exactly', () => {
  const turned = train(layers.randomRotation({ factor: [0.5, 0.5] }), grid);
  turned.forEach((v, i) => assert.ok(Math.abs(v - (15 - i)) < 1e-5, `pixel ${i}: ${v}`));
  const down = train(layers.randomTranslation({ heightFactor: [0.5, 0.5], widthFactor: 0, fillMode: 'constant', fillValue: -1 }), grid);
  assert.deepEqual(down, [-1, -1, -1, -1, -1, -1, -1, -1, 0, 1, 2, 3, 4, 5, 6, 7]);
  const row = tensor([10, 20, 30, 40, 50], [1, 1, 5, 1]);
  // Zooming in twice: column x reads the input at 0.5·x + 1, rounded: 1, 2, 2, 3, 3.
  assert.deepEqual(train(layers.randomZoom({ heightFactor: [-0.5, -0.5], interpolation: 'nearest' }), row), [20, 30, 30, 40, 40]);
});

test('RandomContrast scales each channel about its mean by one factor per image, clipped to the value range', () => {
  setSeed(2);
  const x = randomTensor([3, 4, 4, 2], 5, 100, 150);
  const y = layers.randomContrast({ factor: 0.4 }).apply(x, { training: true });
  for (let b = 0; b < 3; b++) {
    const ratios: number[] = [];
    for (let c = 0; c < 2; c++) {
      const at = (t: Tensor, p: number): number => t.data[(b * 16 + p) * 2 + c]!;
      const mean = Array.from({ length: 16 }, (_, p) => at(x, p)).reduce((s, v) => s + v, 0) / 16;
      for (let p = 0; p < 16; p++) ratios.push((at(y, p) - mean) / (at(x, p) - mean));
    }
    assert.ok(ratios.every((r) => Math.abs(r - ratios[0]!) < 1e-3 && r >= 0.6 && r <= 1.4), `image ${b}: ${ratios[0]}`);
  }
  const clipped = layers.randomContrast({ factor: [0, 3], valueRange: [0, 1], seed: 1 }).apply(tensor([0, 1, 0, 1], [1, 2, 2, 1]), { training: true });
  assert.ok(clipped.data.every((v) => v === 0 || v === 1));
});

test('runLayerTest: the random layers (inference), their configs and HDF5 round trips', async () => {
  clearSession();
  const spec = { inputShape: [4, 3, 2], outputShape: [4, 3, 2], trainableWeights: 0, nonTrainableWeights: 0 };
  await runLayerTest({ ...spec, make: () => layers.randomFlip({ mode: 'vertical', seed: 4 }) });
  await runLayerTest({ ...spec, make: () => layers.randomRotation({ factor: [-0.1, 0.2], fillMode: 'constant', fillValue: 3 }) });
  await runLayerTest({ ...spec, make: () => layers.randomZoom({ heightFactor: 0.2, widthFactor: [-0.1, 0.3] }) });
  await runLayerTest({ ...spec, make: () => layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.2, interpolation: 'nearest' }) });
  await runLayerTest({ ...spec, make: () => layers.randomContrast({ factor: [0.2, 0.5], valueRange: [-1, 1] }) });
});

test('bad random-layer arguments name the layer and what was expected', () => {
  assert.throws(() => layers.randomFlip({ mode: 'diagonal' as never, name: 'flip' }), /flip: mode must be 'horizontal', 'vertical' or 'horizontal_and_vertical', got 'diagonal'/);
  assert.throws(() => layers.randomZoom({ heightFactor: [0.3, 0.1], name: 'zoom' }), /zoom: heightFactor must be .* lower ≤ upper, got \[0.3,0.1\]/);
  assert.throws(() => layers.randomContrast({ factor: 1.5, name: 'contrast' }), /contrast: factor must be/);
  assert.throws(() => layers.randomRotation({ factor: 0.1, fillMode: 'mirror' as never, name: 'rot' }), /rot: fillMode must be/);
});
