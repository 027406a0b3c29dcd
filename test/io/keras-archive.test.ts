// Keras 3 files: archives and legacy .h5 that Keras 3.15 wrote (test/fixtures/keras3/generate.py)
// reproduce Keras's outputs; deeptype's .keras files read back whole; bad archives name the file.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadModel } from '../../src/io/load-model.js';
import { readZip, writeZip } from '../../src/io/zip.js';
import { layers } from '../../src/layers/index.js';
import { model as functionalModel, sequential } from '../../src/models/factories.js';
import { input } from '../../src/models/input-layer.js';
import type { Model } from '../../src/models/model.js';
import { clearSession } from '../../src/models/naming.js';
import { optimizers, schedules } from '../../src/optimizers/index.js';
import { randomUniform, tensor } from '../../src/tensor/create.js';
import { setSeed } from '../../src/tensor/random.js';
import { KERAS3_FIXTURES } from '../helpers/paths.js';
import { jsonTensor, maxAbsDiff, tempDir } from './helpers.js';

const fixture = (name: string): string => join(KERAS3_FIXTURES, name);

const FIXTURE_MODELS = [
  ['sequential_convnet', 'Adam', ['conv2d', 'max_pooling2d', 'conv2d_1', 'flatten', 'dropout', 'dense']],
  ['functional_branches', 'RMSprop', ['img', 'left', 'right', 'concatenate', 'average_pooling2d', 'global_max_pooling2d', 'dense_1']],
  ['nested_adamw_schedule', 'AdamW', ['inner', 'dense_4']],
] as const;

for (const [name, optimizer, layerNames] of FIXTURE_MODELS) {
  for (const extension of ['.keras', '.h5']) {
    test(`${name}${extension} (written by Keras 3.15) loads and reproduces Keras's outputs within 1e-4`, async () => {
      clearSession();
      const model = await loadModel(fixture(`${name}${extension}`));
      assert.deepEqual(model.layers.map((l) => l.name), layerNames);
      const y = await model.predict(jsonTensor(fixture(`${name}.inputs.json`)));
      const expected = jsonTensor(fixture(`${name}.outputs.json`));
      assert.deepEqual(y.shape, expected.shape);
      assert.ok(maxAbsDiff(y.f32, expected.f32) < 1e-4, `max difference ${maxAbsDiff(y.f32, expected.f32)}`);
      assert.equal(model.compiled!.optimizer.className, optimizer);
      assert.equal(model.compiled!.optimizer.iterations, 1, 'the optimizer state after one step');
    });
  }
}

test('the AdamW fixture keeps its ExponentialDecay schedule; a deflated archive reads as the stored one', async () => {
  const nested = await loadModel(fixture('nested_adamw_schedule.keras'));
  const adamW = nested.compiled!.optimizer;
  assert.equal(adamW.schedule?.className, 'ExponentialDecay');
  assert.deepEqual(adamW.schedule?.getConfig(), { initial_learning_rate: 0.05, decay_steps: 10, decay_rate: 0.5, staircase: false, name: 'ExponentialDecay' });
  const stored = readZip(readFileSync(fixture('sequential_convnet.keras')), 'stored');
  const deflated = readZip(readFileSync(fixture('sequential_convnet.deflated.keras')), 'deflated');
  assert.deepEqual([...deflated.keys()].sort(), [...stored.keys()].sort());
  for (const [member, bytes] of stored) assert.ok(bytes.equals(deflated.get(member)!), member);
  const model = await loadModel(fixture('sequential_convnet.deflated.keras'));
  const expected = jsonTensor(fixture('sequential_convnet.outputs.json'));
  assert.ok(maxAbsDiff((await model.predict(jsonTensor(fixture('sequential_convnet.inputs.json')))).f32, expected.f32) < 1e-4);
});

function branchy(): Model {
  const img = input({ shape: [6, 6, 2], name: 'img' });
  const a = layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', name: 'left' }).apply(img);
  const b = layers.conv2d({ filters: 3, kernelSize: 1, name: 'right' }).apply(img);
  const c = layers.concatenate().apply([a, b]);
  const pooled = layers.globalAveragePooling2d().apply(c);
  return functionalModel({ inputs: img, outputs: layers.dense({ units: 1, activation: 'sigmoid' }).apply(pooled), name: 'branches' });
}

test('save(.keras) → loadModel: layers, weights, predictions, compile and optimizer state; training resumes identically', async (t) => {
  clearSession();
  setSeed(31);
  const dir = tempDir(t);
  const model = sequential([branchy(), layers.dense({ units: 2, activation: 'softmax' })], { name: 'outer' });
  model.compile({ optimizer: optimizers.adamW({ learningRate: schedules.cosineDecay({ initialLearningRate: 0.01, decaySteps: 20 }) }),
    loss: 'categorical_crossentropy', metrics: ['acc', 'auc'] });
  const x = randomUniform([6, 6, 6, 2], 0, 1, { seed: 3 });
  const y = tensor([[1, 0], [0, 1], [1, 0], [0, 1], [0, 1], [1, 0]]);
  await model.fit(x, y, { epochs: 2, batchSize: 3, shuffle: false, verbose: 0 });
  const path = join(dir, 'm.keras');
  await model.save(path);
  const members = readZip(readFileSync(path), path);
  assert.deepEqual([...members.keys()], ['metadata.json', 'config.json', 'model.weights.h5']);
  const config = JSON.parse(members.get('config.json')!.toString()) as { class_name: string; compile_config: { optimizer: { class_name: string } } };
  assert.deepEqual([config.class_name, config.compile_config.optimizer.class_name], ['Sequential', 'AdamW']);

  const loaded = await loadModel(path);
  assert.deepEqual(loaded.layers.map((l) => l.name), model.layers.map((l) => l.name));
  loaded.weights.forEach((w, i) => assert.deepEqual(w.value.f32, model.weights[i]!.value.f32, w.name));
  assert.deepEqual(loaded.compiled!.metrics.map((m) => m.name), ['acc', 'auc']);
  assert.equal(loaded.compiled!.optimizer.iterations, 4);
  await model.fit(x, y, { epochs: 1, batchSize: 3, shuffle: false, verbose: 0 });
  await loaded.fit(x, y, { epochs: 1, batchSize: 3, shuffle: false, verbose: 0 });
  loaded.weights.forEach((w, i) => assert.ok(maxAbsDiff(w.value.f32, model.weights[i]!.value.f32) <= 1e-6, w.name));
});

test('bad archives: a missing member, an unknown class, weights that do not fit, not a zip — each names the file; Keras 2 decay is refused', async (t) => {
  const dir = tempDir(t);
  const members = readZip(readFileSync(fixture('sequential_convnet.keras')), 'fixture');
  const write = (name: string, entries: [string, Uint8Array][]): string => {
    const path = join(dir, name);
    writeFileSync(path, writeZip(entries));
    return path;
  };
  const without = write('without.keras', [...members].filter(([m]) => m !== 'model.weights.h5'));
  await assert.rejects(loadModel(without), new RegExp(`${without}: the archive lacks model.weights.h5; a Keras 3 .keras file holds metadata.json, config.json, model.weights.h5`));

  const config = members.get('config.json')!.toString().replace('"class_name": "Conv2D"', '"class_name": "LSTM"');
  const unknown = write('unknown.keras', [...members].map(([m, b]) => [m, m === 'config.json' ? Buffer.from(config) : b]));
  await assert.rejects(loadModel(unknown), new RegExp(`${unknown}: config.json.*LSTM`));

  const other = readZip(readFileSync(fixture('functional_branches.keras')), 'fixture');
  const mismatched = write('mismatched.keras', [...members].map(([m, b]) => [m, m === 'model.weights.h5' ? other.get(m)! : b]));
  await assert.rejects(loadModel(mismatched), new RegExp(`${mismatched}: model.weights.h5: layers/conv2d/vars \\(layer 'conv2d', Conv2D\\)/`));

  const decaying = sequential([layers.dense({ units: 1, inputShape: [2] })]);
  decaying.compile({ optimizer: optimizers.rmsprop({ decay: 0.1 }), loss: 'mse' });
  await assert.rejects(decaying.save(join(dir, 'decay.keras')), /RMSprop: decay 0.1 \(Keras 2's time decay\) has no Keras 3 equivalent; use a learning-rate schedule/);
  assert.ok(!existsSync(join(dir, 'decay.keras')), 'nothing written');

  const notZip = join(dir, 'text.keras');
  writeFileSync(notZip, 'hello');
  await assert.rejects(loadModel(notZip), new RegExp(`${notZip}: not a readable zip archive \\(no end-of-archive record\\)`));
  const damaged = Buffer.from(readFileSync(fixture('sequential_convnet.keras')));
  damaged[200] ^= 0xff;
  const flipped = join(dir, 'flipped.keras');
  writeFileSync(flipped, damaged);
  await assert.rejects(loadModel(flipped), new RegExp(`${flipped}: not a readable zip archive \\('.*' fails its CRC-32 check\\)`));
});
