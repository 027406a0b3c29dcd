// Interop: every shared Keras fixture loads and reproduces the outputs recorded beside it
// (outputs from a float64 numpy forward pass; tolerance 1e-5 as the fixtures' README says).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { inspectKerasFile } from '../../src/io/inspect.js';
import { loadModel } from '../../src/io/load-model.js';
import { loadWeights } from '../../src/io/weights.js';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import { clearSession } from '../../src/models/naming.js';
import { RMSprop, Adam } from '../../src/optimizers/index.js';
import { FIXTURES, jsonTensor, maxAbsDiff, readTree } from './helpers.js';

const fixture = (name: string): string => join(FIXTURES, name);

test('k22_small_convnet.h5: layers, configs, params, outputs and compile state', async () => {
  clearSession();
  const model = await loadModel(fixture('k22_small_convnet.h5'));
  assert.deepEqual(model.layers.map((l) => [l.name, l.className, l.countParams()]),
    [['conv2d_1', 'Conv2D', 112], ['max_pooling2d_1', 'MaxPooling2D', 0], ['flatten_1', 'Flatten', 0], ['dense_1', 'Dense', 111]]);
  assert.equal(model.name, 'sequential_1');
  assert.equal(model.countParams(), 223);
  assert.deepEqual(model.batchInputShape, [null, 8, 8, 3]);
  const conv = model.layers[0]!.getConfig();
  assert.deepEqual([conv.filters, conv.kernel_size, conv.strides, conv.padding, conv.activation], [4, [3, 3], [1, 1], 'valid', 'relu']);
  assert.deepEqual(model.layers[1]!.getConfig().pool_size, [2, 2]);
  assert.equal(model.layers[3]!.getConfig().activation, 'softmax');

  const y = await model.predict(jsonTensor(fixture('k22_small_convnet.inputs.json')));
  const expected = jsonTensor(fixture('k22_small_convnet.outputs.json'));
  assert.deepEqual(y.shape, [4, 3]);
  assert.ok(maxAbsDiff(y.f32, expected.f32) < 1e-5, `max difference ${maxAbsDiff(y.f32, expected.f32)}`);
  for (let r = 0; r < 4; r++) assert.ok(Math.abs(y.f32[3 * r]! + y.f32[3 * r + 1]! + y.f32[3 * r + 2]! - 1) < 1e-6);

  const compiled = model.compiled!;
  assert.equal(compiled.lossName, 'categorical_crossentropy');
  assert.deepEqual(compiled.metrics.map((m) => m.name), ['acc']);
  const optimizer = compiled.optimizer as RMSprop;
  assert.ok(optimizer instanceof RMSprop);
  assert.equal(optimizer.learningRate, Math.fround(0.001));
  assert.equal(optimizer.rho, Math.fround(0.9));
  assert.equal(optimizer.epsilon, 1e-7);
  assert.equal(optimizer.decay, 0);
  assert.equal(optimizer.iterations, 0, 'no optimizer_weights in the file: the state starts fresh');
});

test('tf2_dense_net.h5: TF2 names, variable-length strings, InputLayer entry, top_level_model_weights ignored', async () => {
  clearSession();
  const info = await inspectKerasFile(fixture('tf2_dense_net.h5'));
  assert.equal(info.profile, 'TF2');
  assert.equal(info.kerasVersion, '2.9.0');
  assert.deepEqual(info.layers.map((l) => l.name), ['dense', 'dense_1']);
  const model = await loadModel(fixture('tf2_dense_net.h5'));
  assert.deepEqual(model.layers.map((l) => [l.name, l.countParams()]), [['dense', 35], ['dense_1', 6]]);
  assert.equal(model.name, 'sequential');
  const y = await model.predict(jsonTensor(fixture('tf2_dense_net.inputs.json')));
  assert.deepEqual(y.shape, [8, 1]);
  assert.ok(maxAbsDiff(y.f32, jsonTensor(fixture('tf2_dense_net.outputs.json')).f32) < 1e-5);
  assert.equal(model.compiled!.lossName, 'binary_crossentropy');
  assert.ok(model.compiled!.optimizer instanceof Adam);
  assert.equal(model.compiled!.optimizer.learningRate, 0.001);
  assert.deepEqual(model.compiled!.metrics.map((m) => m.name), ['acc'], "TF2's 'accuracy' is deeptype's (K22) 'acc'");
});

function block1(head: boolean, secondFilters = 4) {
  return sequential([
    layers.conv2d({ name: 'block1_conv1', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [7, 7, 3] }),
    layers.conv2d({ name: 'block1_conv2', filters: secondFilters, kernelSize: 3, padding: 'same', activation: 'relu' }),
    layers.maxPooling2d({ name: 'block1_pool', poolSize: 2 }),
    ...(head ? [layers.flatten(), layers.dense({ name: 'head', units: 2 })] : []),
  ]);
}

test('weights_only_by_name.h5: by name loads the two convs bit-exact and leaves the head alone', async () => {
  clearSession();
  const path = fixture('weights_only_by_name.h5');
  const model = block1(true);
  const headBefore = model.getLayer('head').getWeights().map((w) => w.f32.slice());
  await loadWeights(model, path, { byName: true });
  const tree = await readTree(path);
  for (const name of ['block1_conv1', 'block1_conv2']) {
    const [kernel, bias] = model.getLayer(name).getWeights();
    assert.deepEqual(kernel!.f32, tree.get(`/${name}/${name}/kernel:0`)!.dataset!.values);
    assert.deepEqual(bias!.f32, tree.get(`/${name}/${name}/bias:0`)!.dataset!.values);
  }
  model.getLayer('head').getWeights().forEach((w, i) => assert.deepEqual(w.f32, headBefore[i]));

  const pooled = block1(false);
  await loadWeights(pooled, path, { byName: true });
  assert.equal(pooled.countParams(), 260);
  const y = await pooled.predict(jsonTensor(fixture('weights_only_by_name.inputs.json')));
  assert.deepEqual(y.shape, [2, 3, 3, 4]);
  assert.ok(maxAbsDiff(y.f32, jsonTensor(fixture('weights_only_by_name.outputs.json')).f32) < 1e-5);
});

test('weights_only_by_name.h5: topological load needs the same number of weighted layers', async () => {
  clearSession();
  const path = fixture('weights_only_by_name.h5');
  await assert.rejects(loadWeights(block1(true), path),
    /You are trying to load a weight file containing 2 layers into a model with 3 layers\./);
  const renamed = sequential([
    layers.conv2d({ name: 'first', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [7, 7, 3] }),
    layers.conv2d({ name: 'second', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 2 }),
  ]);
  await loadWeights(renamed, path);
  const y = await renamed.predict(jsonTensor(fixture('weights_only_by_name.inputs.json')));
  assert.ok(maxAbsDiff(y.f32, jsonTensor(fixture('weights_only_by_name.outputs.json')).f32) < 1e-5);
});

test('weights_only_by_name.h5: a shape mismatch names the layer and both shapes; skipMismatch skips that layer', async (t) => {
  clearSession();
  const path = fixture('weights_only_by_name.h5');
  const wide = block1(true, 8);
  const before = wide.weights.map((w) => w.value.f32.slice());
  await assert.rejects(loadWeights(wide, path, { byName: true }), (e: Error) =>
    e.message.includes(path) && e.message.includes("'block1_conv2'") && e.message.includes('(3, 3, 4, 8)') && e.message.includes('(3, 3, 4, 4)'));
  wide.weights.forEach((w, i) => assert.deepEqual(w.value.f32, before[i], 'a failed load changes nothing'));

  const warnings: string[] = [];
  t.mock.method(console, 'warn', (message: string) => warnings.push(message));
  await loadWeights(wide, path, { byName: true, skipMismatch: true });
  assert.equal(warnings.length, 2);
  assert.match(warnings[0]!, /block1_conv2.*\(3, 3, 4, 8\).*\(3, 3, 4, 4\)/);
  assert.equal(warnings[1], `${path}: loaded 1 of 3 layers by name; left as they were: head`, 'the layer the file does not have is named too');
  const tree = await readTree(path);
  assert.deepEqual(wide.getLayer('block1_conv1').getWeights()[0]!.f32, tree.get('/block1_conv1/block1_conv1/kernel:0')!.dataset!.values);
  wide.getLayer('block1_conv2').getWeights().forEach((w, i) => assert.deepEqual(w.f32, before[2 + i]));
});
