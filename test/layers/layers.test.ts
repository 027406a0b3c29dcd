import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layers } from '../../src/layers/index.js';
import { clearSession } from '../../src/models/naming.js';
import { sequential } from '../../src/models/factories.js';
import { tensor, ones } from '../../src/tensor/create.js';
import { setSeed } from '../../src/tensor/random.js';
import { randomTensor } from '../helpers/grad-check.js';
import { runLayerTest } from '../helpers/layer-test.js';

test('conv2d and dense weights: Keras names, shapes, glorot-uniform limits and zero biases', () => {
  clearSession();
  setSeed(1);
  const model = sequential([
    layers.conv2d({ filters: 32, kernelSize: 3, inputShape: [150, 150, 3] }),
    layers.flatten(),
    layers.dense({ units: 1 }),
  ]);
  const [kernel, bias] = model.layers[0]!.weights;
  assert.equal(kernel!.name, 'conv2d_1/kernel:0');
  assert.deepEqual(kernel!.shape, [3, 3, 3, 32]);
  assert.equal(bias!.name, 'conv2d_1/bias:0');
  assert.ok(bias!.value.data.every((v) => v === 0));
  // Keras's glorot_uniform limit, √(6 / (fan_in + fan_out)) with fan_in 3·3·3 and fan_out 3·3·32.
  const limit = 0.138013;
  const values = Array.from(kernel!.value.data);
  assert.ok(values.every((v) => Math.abs(v) <= limit));
  assert.ok(Math.max(...values.map(Math.abs)) > 0.99 * limit, 'uses the whole range');
  // Uniform on [−limit, limit]: mean 0, variance limit²/3 (864 draws: within a few percent).
  const mean = values.reduce((a, v) => a + v, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
  assert.ok(Math.abs(mean) < 0.01 && Math.abs(variance / (limit ** 2 / 3) - 1) < 0.1, `mean ${mean}, variance ${variance}`);
  assert.deepEqual(model.layers[2]!.weights[0]!.shape, [148 * 148 * 32, 1]);
});

test('dropout: inverted scaling in training, identity otherwise', () => {
  setSeed(2);
  const drop = layers.dropout({ rate: 0.5 });
  const x = ones([1, 10000]);
  assert.equal(drop.apply(x, { training: false }), x);
  const y = Array.from(drop.apply(x, { training: true }).data);
  assert.ok(y.every((v) => v === 0 || v === 2));
  const kept = y.filter((v) => v === 2).length / y.length;
  assert.ok(Math.abs(kept - 0.5) < 0.03, `kept fraction ${kept}`);
});

test('flatten is row-major over (h, w, c); global pooling averages each channel', () => {
  const x = tensor(Array.from({ length: 8 }, (_, i) => i), [1, 2, 2, 2]);
  assert.deepEqual(Array.from(layers.flatten().apply(x).data), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(Array.from(layers.globalAveragePooling2d().apply(x).data), [3, 4]);
  assert.deepEqual(Array.from(layers.globalMaxPooling2d().apply(x).data), [6, 7]);
  assert.deepEqual(Array.from(layers.activation({ activation: 'relu' }).apply(tensor([[-1, 2]])).data), [0, 2]);
});

test('pooling layers: defaults and output shapes', () => {
  const x = randomTensor([2, 9, 9, 3], 1);
  assert.deepEqual(layers.maxPooling2d().apply(x).shape, [2, 4, 4, 3]);
  assert.deepEqual(layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(x).shape, [2, 5, 5, 3]);
  assert.deepEqual(layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }).apply(x).shape, [2, 5, 5, 4]);
});

test('Keras configs in snake_case', () => {
  clearSession();
  const conv = layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [10, 10, 1] });
  const config = conv.getConfig();
  assert.equal(config.name, 'conv2d_1');
  assert.deepEqual(config.kernel_size, [3, 3]);
  assert.deepEqual(config.batch_input_shape, [null, 10, 10, 1]);
  assert.equal(config.activation, 'relu');
  assert.deepEqual(config.kernel_initializer, { class_name: 'GlorotUniform', config: { seed: null } });
  assert.deepEqual(layers.maxPooling2d().getConfig().pool_size, [2, 2]);
  assert.equal(layers.dropout({ rate: 0.5 }).getConfig().rate, 0.5);
});

test('trainable flags: a frozen layer reports its weights as non-trainable', () => {
  const dense = layers.dense({ units: 2, trainable: false });
  dense.apply(ones([1, 3]));
  assert.equal(dense.trainableWeights.length, 0);
  assert.equal(dense.nonTrainableWeights.length, 2);
  dense.trainable = true;
  assert.equal(dense.trainableWeights.length, 2);
});

test('runLayerTest: every layer the lecture and SqueezeNet use', async () => {
  clearSession();
  setSeed(3);
  // Kinks (relu at 0, a max's runner-up) must lie more than twice the step from every value.
  const smooth = { step: 2 ** -10 };
  await runLayerTest({ make: () => layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' }),
    inputShape: [5, 6, 2], outputShape: [3, 3, 3], trainableWeights: 2, nonTrainableWeights: 0 });
  await runLayerTest({ make: () => layers.conv2d({ filters: 2, kernelSize: [2, 1], useBias: false, activation: 'softmax' }),
    inputShape: [4, 3, 3], outputShape: [3, 3, 2], trainableWeights: 1, nonTrainableWeights: 0 });
  await runLayerTest({ make: () => layers.dense({ units: 3, activation: 'sigmoid' }),
    inputShape: [4], outputShape: [3], trainableWeights: 2, nonTrainableWeights: 0 });
  await runLayerTest({ make: () => layers.maxPooling2d({ poolSize: 2, strides: 1 }),
    inputShape: [3, 3, 2], outputShape: [2, 2, 2], trainableWeights: 0, nonTrainableWeights: 0, distinct: true, grad: smooth });
  await runLayerTest({ make: () => layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
    inputShape: [5, 5, 2], outputShape: [3, 3, 2], trainableWeights: 0, nonTrainableWeights: 0 });
  await runLayerTest({ make: () => layers.flatten(), inputShape: [2, 3, 2], outputShape: [12], trainableWeights: 0, nonTrainableWeights: 0 });
  await runLayerTest({ make: () => layers.dropout({ rate: 0.5, seed: 4 }), inputShape: [6], outputShape: [6],
    trainableWeights: 0, nonTrainableWeights: 0 });
  await runLayerTest({ make: () => layers.activation({ activation: 'relu' }), inputShape: [5], outputShape: [5],
    trainableWeights: 0, nonTrainableWeights: 0, distinct: true, grad: smooth });
  await runLayerTest({ make: () => layers.globalAveragePooling2d(), inputShape: [3, 2, 4], outputShape: [4],
    trainableWeights: 0, nonTrainableWeights: 0 });
  await runLayerTest({ make: () => layers.globalMaxPooling2d(), inputShape: [3, 2, 4], outputShape: [4],
    trainableWeights: 0, nonTrainableWeights: 0, distinct: true, grad: smooth });
  await runLayerTest({ make: () => layers.concatenate(), inputShape: [2, 2, 3], inputs: 2, outputShape: [2, 2, 6],
    trainableWeights: 0, nonTrainableWeights: 0 });
  await runLayerTest({ make: () => layers.add(), inputShape: [2, 3], inputs: 3, outputShape: [2, 3],
    trainableWeights: 0, nonTrainableWeights: 0 });
});
