import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layers } from '../../src/layers/index.js';
import { layerFromConfig } from '../../src/layers/registry.js';
import { clearSession } from '../../src/models/naming.js';
import { tensor } from '../../src/tensor/create.js';
import { runLayerTest } from '../helpers/layer-test.js';

test('Reshape infers its -1; Permute numbers axes from 1; Multiply and Rescaling', () => {
  const x = tensor([1, 2, 3, 4, 5, 6], [1, 2, 3]);
  assert.deepEqual(layers.reshape({ targetShape: [3, -1] }).apply(x).shape, [1, 3, 2]);
  assert.deepEqual(Array.from(layers.permute({ dims: [2, 1] }).apply(x).data), [1, 4, 2, 5, 3, 6]);
  assert.deepEqual(Array.from(layers.multiply().callInputs([x, x], { training: false }).data), [1, 4, 9, 16, 25, 36]);
  assert.deepEqual(Array.from(layers.rescaling({ scale: 0.5, offset: -1 }).apply(x).data), [-0.5, 0, 0.5, 1, 1.5, 2]);
  assert.throws(() => layers.reshape({ targetShape: [4, -1] }).apply(x), /cannot reshape \[2,3\] \(6 values\) to \[4,-1\]/);
  assert.throws(() => layers.permute({ dims: [1, 3] }), /dims must be a permutation of 1..2/);
});

test('runLayerTest: Reshape, Permute, Multiply, Rescaling, Softmax, ReLU, LeakyReLU', async () => {
  clearSession();
  const none = { trainableWeights: 0, nonTrainableWeights: 0 };
  await runLayerTest({ make: () => layers.reshape({ targetShape: [-1, 2] }), inputShape: [2, 3, 2], outputShape: [6, 2], ...none });
  await runLayerTest({ make: () => layers.permute({ dims: [3, 1, 2] }), inputShape: [2, 3, 4], outputShape: [4, 2, 3], ...none });
  await runLayerTest({ make: () => layers.multiply(), inputShape: [3, 2], inputs: 2, outputShape: [3, 2], ...none });
  await runLayerTest({ make: () => layers.rescaling({ scale: 1 / 255, offset: -0.5 }), inputShape: [2, 2, 3],
    outputShape: [2, 2, 3], range: [0, 255], ...none, grad: { step: 2 ** -2 } });
  await runLayerTest({ make: () => layers.softmax(), inputShape: [2, 5], outputShape: [2, 5], ...none });
  await runLayerTest({ make: () => layers.relu({ maxValue: 6 }), inputShape: [8], outputShape: [8], range: [-2, 8],
    distinct: true, ...none });
  await runLayerTest({ make: () => layers.leakyRelu({ negativeSlope: 0.1 }), inputShape: [6], outputShape: [6],
    distinct: true, ...none });
});

test("ReLU's and LeakyReLU's Keras configs, Keras 2's alpha included", () => {
  assert.deepEqual(layers.relu({ maxValue: 6 }).getConfig().max_value, 6);
  const leaky = layerFromConfig('LeakyReLU', { name: 'leaky', alpha: 0.2 }, 'test');
  assert.deepEqual(Array.from(leaky.apply(tensor([-1, 1])).data), [Math.fround(-0.2), 1]);
});
