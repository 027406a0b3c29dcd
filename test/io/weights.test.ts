// Weights-only files: layout, round trip, naming profiles, chunked name lists, Keras-1 files.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { setProfile } from '../../src/config.js';
import { loadWeights, saveWeights } from '../../src/io/weights.js';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import { clearSession } from '../../src/models/naming.js';
import { randomUniform } from '../../src/tensor/create.js';
import { setSeed } from '../../src/tensor/random.js';
import { FIXTURES, readTree, SQUEEZENET_WEIGHTS, tempDir } from './helpers.js';

function denseNet() {
  return sequential([
    layers.dense({ units: 5, activation: 'relu', inputShape: [6] }),
    layers.dropout({ rate: 0.5 }),
    layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
}

test('saveWeights writes the weights layout at the root; loadWeights restores it into a fresh model', async (t) => {
  clearSession();
  setSeed(1);
  const model = denseNet();
  const path = join(tempDir(t), 'weights.h5');
  await model.saveWeights(path);
  const tree = await readTree(path);
  const root = tree.get('/')!.attrs;
  assert.deepEqual(Object.keys(root).sort(), ['backend', 'keras_version', 'layer_names']);
  assert.deepEqual(root.layer_names!.value, ['dense_1', 'dropout_1', 'dense_2']);
  assert.equal(root.layer_names!.kind, 'string vlen=false cset=0 pad=1 size=9');
  assert.deepEqual(tree.get('/dense_1')!.attrs.weight_names!.value, ['dense_1/kernel:0', 'dense_1/bias:0']);
  assert.deepEqual(tree.get('/dense_1/dense_1/kernel:0')!.dataset!.shape, [6, 5]);
  assert.equal(tree.get('/dropout_1')!.attrs.weight_names!.kind, 'class=1 size=8 shape=[0]');

  const other = denseNet();
  await other.loadWeights(path);
  other.weights.forEach((w, i) => assert.deepEqual(w.value.f32, model.weights[i]!.value.f32));
  const x = randomUniform([4, 6], 0, 1, { seed: 2 });
  assert.deepEqual((await other.predict(x)).f32, (await model.predict(x)).f32);
});

test('loadWeights reads the weights of a full-model file from /model_weights, in either naming profile', async (t) => {
  clearSession();
  setProfile('TF2');
  t.after(() => setProfile('K22'));
  const model = sequential([layers.dense({ units: 5, activation: 'relu', inputShape: [6] }), layers.dense({ units: 1, activation: 'sigmoid' })]);
  assert.deepEqual(model.layers.map((l) => l.name), ['dense', 'dense_1']);
  await loadWeights(model, join(FIXTURES, 'tf2_dense_net.h5'), { byName: true });
  const tree = await readTree(join(FIXTURES, 'tf2_dense_net.h5'));
  assert.deepEqual(model.layers[1]!.getWeights()[0]!.f32, tree.get('/model_weights/dense_1/dense_1/kernel:0')!.dataset!.values);

  const path = join(tempDir(t), 'tf2-names.h5');
  await saveWeights(model, path);
  assert.deepEqual((await readTree(path)).get('/dense')!.attrs.weight_names!.value, ['dense/kernel:0', 'dense/bias:0']);
  setProfile('K22');
  clearSession();
  const k22 = sequential([layers.dense({ units: 5, activation: 'relu', inputShape: [6] }), layers.dense({ units: 1, activation: 'sigmoid' })]);
  assert.equal(k22.layers[0]!.name, 'dense_1');
  await loadWeights(k22, path);
  k22.weights.forEach((w, i) => assert.deepEqual(w.value.f32, model.weights[i]!.value.f32));
});

test('long name lists are split into layer_names0, layer_names1, … and read back whole', async (t) => {
  clearSession();
  const long = (i: number): string => `activation_with_a_deliberately_long_name_${String(i).padStart(4, '0')}_`.padEnd(200, 'x');
  const model = sequential([layers.dense({ units: 2, inputShape: [3] }),
    ...Array.from({ length: 400 }, (_, i) => layers.activation({ activation: 'linear', name: long(i) }))]);
  const path = join(tempDir(t), 'many.h5');
  await saveWeights(model, path);
  const root = (await readTree(path)).get('/')!.attrs;
  assert.equal(root.layer_names, undefined);
  assert.deepEqual(Object.keys(root).filter((k) => k.startsWith('layer_names')).sort(), ['layer_names0', 'layer_names1']);
  assert.equal((root.layer_names0!.value as string[]).length, 201, 'numpy.array_split: 401 names → 201 + 200');
  assert.deepEqual([...root.layer_names0!.value as string[], ...root.layer_names1!.value as string[]], model.layers.map((l) => l.name));
  const copy = sequential([layers.dense({ units: 2, inputShape: [3] })]);
  await loadWeights(copy, path);
  assert.deepEqual(copy.weights[0]!.value.f32, model.weights[0]!.value.f32);
});

test('the Keras-1 SqueezeNet file loads by name: weights matched by order and shape, not by their names', async () => {
  clearSession();
  const model = sequential([
    layers.conv2d({ name: 'conv1', filters: 64, kernelSize: 3, strides: 2, activation: 'relu', inputShape: [35, 35, 3] }),
    layers.maxPooling2d({ name: 'pool1', poolSize: 3, strides: 2 }),
    layers.conv2d({ name: 'fire2/squeeze1x1', filters: 16, kernelSize: 1, activation: 'relu' }),
    layers.conv2d({ name: 'fire2/expand3x3', filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }),
  ]);
  await loadWeights(model, SQUEEZENET_WEIGHTS, { byName: true });
  const tree = await readTree(SQUEEZENET_WEIGHTS);
  const check = (layer: string, kernel: string, bias: string): void => {
    const [k, b] = model.getLayer(layer).getWeights();
    assert.deepEqual(k!.f32, tree.get(kernel)!.dataset!.values, `${layer} kernel`);
    assert.deepEqual(b!.f32, tree.get(bias)!.dataset!.values, `${layer} bias`);
  };
  check('conv1', '/conv1/uniform1', '/conv1/conv1_b');
  check('fire2/squeeze1x1', '/fire2/squeeze1x1/uniform2', '/fire2/squeeze1x1/fire2/squeeze1x1_b');
  check('fire2/expand3x3', '/fire2/expand3x3/uniform4', '/fire2/expand3x3/fire2/expand3x3_b');
});
