import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import { clearSession } from '../../src/models/naming.js';
import { randomUniform, tensor, zeros } from '../../src/tensor/create.js';

function convnet() {
  clearSession();
  const model = sequential([
    layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [8, 8, 3] }),
    layers.flatten(),
    layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['acc'] });
  return model;
}

test('a wrong input shape names the layer, the expected and the received shape', async () => {
  const model = convnet();
  const x = zeros([4, 28, 28, 1]);
  const y = zeros([4, 1]);
  const message = /conv2d_1 \(the model's first layer\) expects input of shape \(None, 8, 8, 3\), but x has shape \(None, 28, 28, 1\)/;
  await assert.rejects(model.fit(x, y, { verbose: 0 }), message);
  await assert.rejects(model.evaluate(x, y), message);
  await assert.rejects(model.predict(x), message);
});

test('a layer called with another shape than it was built for names itself and both shapes', () => {
  clearSession();
  const dense = layers.dense({ units: 3 });
  dense.apply(zeros([2, 4]));
  assert.throws(() => dense.apply(zeros([2, 5])), /dense_1 \(Dense\): expected input of shape \(None, 4\), got \(None, 5\) \(batch of 2\)$/);
});

test('x and y of different lengths: both counts in the error', async () => {
  const model = convnet();
  await assert.rejects(model.fit(randomUniform([5, 8, 8, 3]), zeros([4, 1]), { verbose: 0 }),
    /x and y must have the same number of samples, but x has 5 and y has 4/);
});

test('unknown loss, optimizer and metric names list the valid ones', () => {
  const model = convnet();
  assert.throws(() => model.compile({ optimizer: 'adamw', loss: 'mse' }), /unknown optimizer 'adamw'; valid names are sgd, rmsprop, adam/);
  assert.throws(() => model.compile({ optimizer: 'sgd', loss: 'hinge' }), /unknown loss 'hinge'; valid names are binary_crossentropy, categorical_crossentropy/);
  assert.throws(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['auc'] }), /unknown metric 'auc'; valid names are binary_accuracy/);
});

test('names work in camelCase and snake_case', () => {
  const model = convnet();
  model.compile({ optimizer: 'RMSprop', loss: 'binaryCrossentropy', metrics: ['binary_accuracy', 'accuracy'] });
  assert.deepEqual(model.compiled!.metrics.map((m) => m.name), ['binary_accuracy', 'acc']);
});

test('fit before compile is a clear error', async () => {
  clearSession();
  const model = sequential([layers.dense({ units: 1, inputShape: [2] })]);
  await assert.rejects(model.fit(tensor([[1, 2]]), tensor([[1]])),
    { message: 'sequential_1: call compile({ optimizer, loss, metrics }) before fit()' });
  await assert.rejects(model.evaluate(tensor([[1, 2]]), tensor([[1]])),
    { message: 'sequential_1: call compile({ optimizer, loss, metrics }) before evaluate()' });
});

test('bad layer arguments are refused with the argument named', () => {
  assert.throws(() => layers.conv2d({ filters: 0, kernelSize: 3 }), /filters must be a positive integer, got 0/);
  assert.throws(() => layers.conv2d({ filters: 2, kernelSize: 3, padding: 'full' as 'same' }), /padding must be 'valid' or 'same', got 'full'/);
  assert.throws(() => layers.dense({ units: 2, activation: 'gelu' as 'relu' }), /unknown activation 'gelu'/);
  assert.throws(() => layers.dropout({ rate: 1 }), /rate must be in \[0, 1\), got 1/);
});
