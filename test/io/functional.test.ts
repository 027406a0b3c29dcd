import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { squeezenet } from '../../src/applications/squeezenet.js';
import { loadModel } from '../../src/io/load-model.js';
import { saveModel } from '../../src/io/save-model.js';
import { layers } from '../../src/layers/index.js';
import { model, sequential } from '../../src/models/factories.js';
import { Functional } from '../../src/models/functional.js';
import { input } from '../../src/models/input-layer.js';
import { clearSession } from '../../src/models/naming.js';
import { setSeed } from '../../src/tensor/random.js';
import { randomTensor } from '../helpers/grad-check.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { h5File } from '../helpers/h5.js';
import { SQUEEZENET_WEIGHTS } from '../helpers/paths.js';

const quiet = { print: () => {} };

async function inTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'deeptype-functional-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function branching(): Functional {
  const x = input({ shape: [6, 6, 3] });
  const a = layers.conv2d({ filters: 2, kernelSize: 1, activation: 'relu' }).apply(x);
  const b = layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }).apply(x);
  const c = layers.concatenate().apply([a, b]);
  const d = layers.add().apply([layers.conv2d({ filters: 4, kernelSize: 1 }).apply(c), c]);
  const y = layers.dense({ units: 1, activation: 'sigmoid' }).apply(layers.globalAveragePooling2d().apply(d));
  return model({ inputs: x, outputs: y, name: 'branchy' });
}

test('a branching functional model saves and loads: same graph, weights, predictions and summary', async () => {
  await inTemp(async (dir) => {
    clearSession();
    setSeed(3);
    const original = branching();
    original.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['acc'] });
    const path = join(dir, 'branchy.h5');
    await saveModel(original, path);
    const file = await h5File(path);
    const config = JSON.parse(String((file.attrs as Record<string, { value: unknown }>).model_config!.value));
    file.close();
    assert.equal(config.class_name, 'Model');
    assert.deepEqual(config.config.input_layers, [['input_1', 0, 0]]);
    const concat = config.config.layers.find((l: { class_name: string }) => l.class_name === 'Concatenate');
    assert.deepEqual(concat.inbound_nodes, [[['conv2d_1', 0, 0, {}], ['conv2d_2', 0, 0, {}]]]);

    const loaded = await loadModel(path);
    assert.ok(loaded instanceof Functional);
    assert.equal(loaded.summary(quiet), original.summary(quiet));
    const x = randomTensor([2, 6, 6, 3], 5);
    assert.deepEqual(loaded.apply(x).f32, original.apply(x).f32);
    assert.equal(loaded.compiled?.lossName, 'binary_crossentropy');
  });
});

test('SqueezeNet with real weights inside a Sequential classifier round-trips through HDF5', async () => {
  await inTemp(async (dir) => {
    clearSession();
    setSeed(4);
    const base = await squeezenet({ weights: 'imagenet', inputShape: [64, 64, 3], pooling: 'avg' });
    const file = await h5File(SQUEEZENET_WEIGHTS);
    const conv1 = (file.get('conv1/uniform1') as { value: Float32Array }).value;
    file.close();
    assert.deepEqual(base.getLayer('conv1').weights[0]!.value.f32, conv1, 'the shipped ImageNet weights');
    const classifier = sequential([base, layers.dense({ units: 1, activation: 'sigmoid' })]);
    base.trainable = false;
    const path = join(dir, 'classifier.h5');
    await saveModel(classifier, path);
    const loaded = await loadModel(path);
    const x = randomTensor([1, 64, 64, 3], 6, 0, 255);
    assert.deepEqual(loaded.apply(x).f32, classifier.apply(x).f32);
    assert.deepEqual(loaded.layers[0]!.getWeights().map((w) => w.f32), base.getWeights().map((w) => w.f32));
    assert.equal(loaded.layers[0]!.trainable, false);
    assert.equal(loaded.countParams(), classifier.countParams());
  });
});

test('a two-output model saves its output_layers list and loads back with identical predictions; the summary lists both outputs', async () => {
  await inTemp(async (dir) => {
    clearSession();
    setSeed(8);
    const x = input({ shape: [6, 6, 2] });
    const h = layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu' }).apply(x);
    const pooled = layers.maxPooling2d({ poolSize: 2 }).apply(h);
    const head = layers.dense({ units: 2, activation: 'softmax' }).apply(layers.flatten().apply(pooled));
    const original = model({ inputs: x, outputs: [h, head], name: 'two' });
    original.compile({ optimizer: 'adam', loss: ['mse', 'categorical_crossentropy'], lossWeights: [0.25, 1], metrics: ['acc'] });
    const path = join(dir, 'two.h5');
    await saveModel(original, path);
    const file = await h5File(path);
    const config = JSON.parse(String((file.attrs as Record<string, { value: unknown }>).model_config!.value));
    assert.deepEqual(config.config.output_layers, [['conv2d_1', 0, 0], ['dense_1', 0, 0]]);
    const training = JSON.parse(String((file.attrs as Record<string, { value: unknown }>).training_config!.value));
    assert.deepEqual([training.loss, training.loss_weights, training.metrics],
      [{ conv2d_1: 'mse', dense_1: 'categorical_crossentropy' }, { conv2d_1: 0.25, dense_1: 1 }, ['acc']]);

    const loaded = await loadModel(path);
    assert.ok(loaded instanceof Functional && loaded.multiOutput);
    assert.deepEqual(loaded.outputNames, ['conv2d_1', 'dense_1']);
    assert.deepEqual(loaded.compiled!.outputs.map((o) => [o.name, o.lossName, o.weight]),
      [['conv2d_1', 'mse', 0.25], ['dense_1', 'categorical_crossentropy', 1]]);
    const summary = loaded.summary(quiet);
    assert.equal(summary, original.summary(quiet));
    assert.match(summary, /conv2d_1 \(Conv2D\)/);
    assert.match(summary, /dense_1 \(Dense\)/);
    const data = randomTensor([3, 6, 6, 2], 9);
    const [a, b] = await original.predict(data);
    const [c, d] = (await loaded.predict(data)) as unknown as Tensor[];
    assert.deepEqual(c!.f32, a!.f32);
    assert.deepEqual(d!.f32, b!.f32);
  });
});
