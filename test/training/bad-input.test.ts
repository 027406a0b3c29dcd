import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import { clearSession } from '../../src/models/naming.js';
import { callbacks } from '../../src/training/callbacks/index.js';
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
  await assert.rejects(model.fit(tensor([[1, 2]]), tensor([[1]])), /dense|sequential_1: call compile\(\{ optimizer, loss, metrics \}\) before fit\(\)/);
});

test('bad layer arguments are refused with the argument named', () => {
  assert.throws(() => layers.conv2d({ filters: 0, kernelSize: 3 }), /filters must be a positive integer, got 0/);
  assert.throws(() => layers.conv2d({ filters: 2, kernelSize: 3, padding: 'full' as 'same' }), /padding must be 'valid' or 'same', got 'full'/);
  assert.throws(() => layers.dense({ units: 2, activation: 'gelu' as 'relu' }), /unknown activation 'gelu'/);
  assert.throws(() => layers.dropout({ rate: 1 }), /rate must be in \[0, 1\), got 1/);
});

test('NaN in the input: the loss shows nan, terminateOnNaN stops, and no checkpoint is saved from NaN weights', async (t) => {
  const model = convnet();
  const x = randomUniform([4, 8, 8, 3], 0, 1, { seed: 1 });
  x.f32[5] = NaN;
  const dir = mkdtempSync(join(tmpdir(), 'deeptype-nan-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const checkpoint = join(dir, 'model.h5');
  const printed: string[] = [];
  const stream = Object.assign(new PassThrough(), { isTTY: false });
  stream.on('data', (chunk: Buffer) => printed.push(chunk.toString()));
  const warnings: string[] = [];
  t.mock.method(console, 'warn', (...a: unknown[]) => warnings.push(a.join(' ')));
  const logs: string[] = [];
  t.mock.method(console, 'log', (...a: unknown[]) => logs.push(a.join(' ')));
  const history = await model.fit(x, zeros([4, 1]), {
    epochs: 3, batchSize: 4, verbose: 0,
    callbacks: [callbacks.terminateOnNaN(), callbacks.modelCheckpoint({ filepath: checkpoint }), callbacks.progressLogger({ stream, verbose: 2 })],
  });
  assert.equal(history.epoch.length, 1, 'stopped in the first epoch');
  assert.ok(Number.isNaN(history.history.loss![0]), 'relu passed the NaN on to the loss');
  assert.match(printed.join(''), /Epoch 1\/3\n - \d+s - loss: nan - acc: /);
  assert.deepEqual(logs, ['Batch 0: Invalid loss, terminating training']);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^modelCheckpoint: not saving to .*model\.h5: weight '.*' holds NaN or infinite values/);
  assert.ok(!existsSync(checkpoint));
});
