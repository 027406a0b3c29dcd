// Full-model files: the K22 layout path by path, the fixture round trip, and save → load.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadModel } from '../../src/io/load-model.js';
import { saveModel } from '../../src/io/save-model.js';
import { layers } from '../../src/layers/index.js';
import { setProfile } from '../../src/config.js';
import { model as functional, sequential } from '../../src/models/factories.js';
import { input } from '../../src/models/input-layer.js';
import { clearSession } from '../../src/models/naming.js';
import { Sequential } from '../../src/models/sequential.js';
import { Adam, optimizers, RMSprop } from '../../src/optimizers/index.js';
import { randomUniform } from '../../src/tensor/create.js';
import { setSeed } from '../../src/tensor/random.js';
import { FIXTURES, readTree, tempDir } from './helpers.js';

const NULLPAD_NAMES = /^string vlen=false cset=0 pad=1 size=\d+$/;
const VLEN_ASCII = 'string vlen=true cset=0 pad=0';
const EMPTY_LIST = 'class=1 size=8 shape=[0]';

function smallConvnet() {
  return sequential([
    layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 3] }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.flatten(),
    layers.dense({ units: 3, activation: 'softmax' }),
  ]);
}

test('saveModel writes the K22 layout: attributes, string kinds, groups and datasets', async (t) => {
  clearSession();
  setSeed(3);
  const model = smallConvnet();
  model.compile({ optimizer: optimizers.rmsprop({ learningRate: 1e-4 }), loss: 'categoricalCrossentropy', metrics: ['acc'] });
  const path = join(tempDir(t), 'model.h5');
  await model.save(path);
  const tree = await readTree(path);

  const root = tree.get('/')!.attrs;
  assert.deepEqual(Object.keys(root).sort(), ['backend', 'keras_version', 'model_config', 'training_config']);
  assert.deepEqual([root.keras_version!.value, root.backend!.value], ['2.2.4', 'tensorflow']);
  for (const a of Object.values(root)) assert.equal(a.kind, VLEN_ASCII);
  const config = JSON.parse(root.model_config!.value as string);
  assert.equal(config.class_name, 'Sequential');
  assert.deepEqual(Object.keys(config.config), ['name', 'layers']);
  assert.deepEqual(config.config.layers.map((l: { class_name: string }) => l.class_name), ['Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']);
  assert.deepEqual(config.config.layers[0].config.kernel_initializer,
    { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null } });
  assert.equal(config.config.layers[1].config.dtype, undefined, 'dtype only on the first layer');
  assert.match(root.model_config!.value as string, /"scale": 1\.0, /, 'Python spelling');
  assert.equal(root.training_config!.value,
    '{"optimizer_config": {"class_name": "RMSprop", "config": {"lr": 9.999999747378752e-05, "rho": 0.8999999761581421, ' +
    '"decay": 0.0, "epsilon": 1e-07}}, "loss": "categorical_crossentropy", "metrics": ["acc"], "sample_weight_mode": null, "loss_weights": null}');

  const weights = tree.get('/model_weights')!.attrs;
  assert.deepEqual(weights.layer_names!.value, ['conv2d_1', 'max_pooling2d_1', 'flatten_1', 'dense_1']);
  assert.match(weights.layer_names!.kind, NULLPAD_NAMES);
  assert.equal(weights.layer_names!.kind, 'string vlen=false cset=0 pad=1 size=15', 'n = the longest name');
  assert.deepEqual([weights.backend!.kind, weights.keras_version!.kind], [VLEN_ASCII, VLEN_ASCII]);
  assert.deepEqual(tree.get('/model_weights/conv2d_1')!.attrs.weight_names!.value, ['conv2d_1/kernel:0', 'conv2d_1/bias:0']);
  assert.match(tree.get('/model_weights/conv2d_1')!.attrs.weight_names!.kind, NULLPAD_NAMES);
  assert.equal(tree.get('/model_weights/flatten_1')!.attrs.weight_names!.kind, EMPTY_LIST);
  const kernel = tree.get('/model_weights/conv2d_1/conv2d_1/kernel:0')!.dataset!;
  assert.deepEqual([kernel.dtype, kernel.shape, kernel.chunked], ['<f', [3, 3, 3, 4], false]);
  assert.deepEqual(kernel.values, model.layers[0]!.getWeights()[0]!.f32);
  assert.deepEqual(tree.get('/model_weights/dense_1/dense_1/kernel:0')!.dataset!.shape, [36, 3]);
  assert.deepEqual(tree.get('/model_weights/dense_1/dense_1/bias:0')!.dataset!.shape, [3]);
  assert.equal(tree.has('/optimizer_weights'), false, 'no optimizer state before the first update');
  assert.equal([...tree.keys()].filter((p) => p.includes('.tmp')).length, 0);
});

test('k22_small_convnet.h5 → load → save gives the same tree, values and string kinds', async (t) => {
  clearSession();
  const original = join(FIXTURES, 'k22_small_convnet.h5');
  const copy = join(tempDir(t), 'copy.h5');
  await saveModel(await loadModel(original), copy);
  const [a, b] = [await readTree(original), await readTree(copy)];
  assert.deepEqual([...b.keys()], [...a.keys()]);
  for (const [path, node] of a) assert.deepEqual(b.get(path), node, path);
});

test('save → load: same layers, configs, weights and predictions; compile state restored', async (t) => {
  clearSession();
  setSeed(5);
  const model = smallConvnet();
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.003 }), loss: 'categorical_crossentropy', metrics: ['acc'] });
  const x = randomUniform([6, 8, 8, 3], 0, 1, { seed: 1 });
  const y = randomUniform([6, 3], 0, 1, { seed: 2 });
  await model.fit(x, y, { epochs: 1, batchSize: 3, verbose: 0, shuffle: false });
  const path = join(tempDir(t), 'trained.h5');
  await saveModel(model, path);
  const tree = await readTree(path);
  const names = tree.get('/optimizer_weights')!.attrs.weight_names!.value as string[];
  assert.equal(names.length, 1 + 3 * 4, 'Adam: iterations, then m, v and vhat for each of 4 weights');
  assert.equal(names[0], 'Adam/iterations:0');
  assert.deepEqual(tree.get('/optimizer_weights/Adam/iterations:0')!.dataset!.dtype, '<q');

  const loaded = await loadModel(path);
  assert.ok(loaded instanceof Sequential);
  assert.deepEqual(loaded.layers.map((l) => l.getConfig()), model.layers.map((l) => l.getConfig()));
  loaded.weights.forEach((w, i) => assert.deepEqual(w.value.f32, model.weights[i]!.value.f32));
  assert.deepEqual((await loaded.predict(x)).f32, (await model.predict(x)).f32);
  const optimizer = loaded.compiled!.optimizer as Adam;
  assert.ok(optimizer instanceof Adam);
  assert.equal(optimizer.learningRate, Math.fround(0.003));
  assert.equal(optimizer.iterations, 2);
  assert.deepEqual(optimizer.getSlots(loaded.compiled!.trainableWeights), model.compiled!.optimizer.getSlots(model.compiled!.trainableWeights));
  assert.deepEqual(loaded.compiled!.metrics.map((m) => m.name), ['acc']);

  const bare = await loadModel(path, { compile: false });
  assert.equal(bare.compiled, null);
  await saveModel(model, path, { includeOptimizer: false });
  const slim = await readTree(path);
  assert.equal(slim.get('/')!.attrs.training_config, undefined);
  assert.equal(slim.has('/optimizer_weights'), false);
});

test('a nested Sequential keeps its sub-layer weights in one group, trainable ones first', async (t) => {
  clearSession();
  const base = sequential([
    layers.conv2d({ name: 'block1_conv1', filters: 2, kernelSize: 3, inputShape: [6, 6, 1] }),
    layers.conv2d({ name: 'block2_conv1', filters: 2, kernelSize: 3 }),
  ], { name: 'base' });
  base.layers[0]!.trainable = false;
  const model = sequential([base, layers.flatten(), layers.dense({ units: 1, activation: 'sigmoid' })]);
  model.compile({ optimizer: 'rmsprop', loss: 'binary_crossentropy' });
  const path = join(tempDir(t), 'nested.h5');
  await model.save(path);
  const tree = await readTree(path);
  assert.deepEqual(tree.get('/model_weights/base')!.attrs.weight_names!.value,
    ['block2_conv1/kernel:0', 'block2_conv1/bias:0', 'block1_conv1/kernel:0', 'block1_conv1/bias:0']);
  clearSession();
  const loaded = await loadModel(path);
  const nested = loaded.layers[0] as Sequential;
  assert.ok(nested instanceof Sequential);
  assert.deepEqual(nested.layers.map((l) => [l.name, l.trainable]), [['block1_conv1', false], ['block2_conv1', true]]);
  loaded.weights.forEach((w, i) => assert.deepEqual(w.value.f32, model.weights[i]!.value.f32));
  const x = randomUniform([2, 6, 6, 1], 0, 1, { seed: 4 });
  assert.deepEqual((await loaded.predict(x)).f32, (await model.predict(x)).f32);
  assert.ok(loaded.compiled!.optimizer instanceof RMSprop);
});


test("the TF2 profile writes tf.keras's .h5 spelling (which Keras 3 reads), and reads it back", async (t) => {
  setProfile('TF2');
  t.after(() => setProfile('K22'));
  clearSession();
  setSeed(4);
  const dir = tempDir(t);
  const img = input({ shape: [6, 6, 2] });
  const branch = functional({ inputs: img, outputs: layers.dense({ units: 1 }).apply(layers.flatten().apply(img)) });
  const outer = sequential([layers.conv2d({ filters: 2, kernelSize: 1, inputShape: [6, 6, 2] }), branch]);
  outer.compile({ optimizer: optimizers.rmsprop({ learningRate: 0.01 }), loss: 'mse' });
  const path = join(dir, 'tf2.h5');
  await saveModel(outer, path);
  const attrs = (await readTree(path)).get('/')!.attrs;
  const config = JSON.parse(attrs.model_config!.value as string) as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
  const [first, conv, nested] = config.config.layers;
  assert.equal(first!.class_name, 'InputLayer', 'an InputLayer entry gives the input shape');
  assert.deepEqual(first!.config.batch_input_shape, [null, 6, 6, 2]);
  assert.equal(conv!.class_name, 'Conv2D');
  const inner = nested!.config as { layers: { name: string }[]; output_layers: unknown };
  assert.deepEqual(inner.output_layers, [inner.layers.at(-1)!.name, 0, 0], 'a lone output is one reference, not a list of one');
  const training = JSON.parse(attrs.training_config!.value as string) as { optimizer_config: { config: Record<string, unknown> } };
  assert.ok('learning_rate' in training.optimizer_config.config && !('lr' in training.optimizer_config.config));
  const x = randomUniform([3, 6, 6, 2], 0, 1, { seed: 5 });
  const loaded = await loadModel(path);
  assert.deepEqual(Array.from((await loaded.predict(x)).f32), Array.from((await outer.predict(x)).f32));
  assert.equal(loaded.compiled?.optimizer.getConfig().lr, Math.fround(0.01));
});
