import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barsDataset } from '../../src/data/synthetic-bars.js';
import { layers } from '../../src/layers/index.js';
import { model, sequential } from '../../src/models/factories.js';
import { freezeWeights, unfreezeWeights } from '../../src/models/freeze.js';
import { clearSession } from '../../src/models/naming.js';
import { setSeed } from '../../src/tensor/random.js';

function baseAndHead() {
  clearSession();
  setSeed(8);
  const base = sequential([
    layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1], name: 'c1' }),
    layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', name: 'c2' }),
    layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', name: 'c3' }),
  ]);
  const model = sequential([base, layers.flatten(), layers.dense({ units: 1, activation: 'sigmoid' })]);
  return { base, model };
}

const trainableNames = (m: { trainableWeights: { name: string }[] }): string[] => m.trainableWeights.map((w) => w.name);

test('freezeWeights without a range freezes the model; unfreeze with from keeps only the tail trainable', () => {
  const { base, model } = baseAndHead();
  freezeWeights(base);
  assert.equal(base.trainable, false);
  assert.deepEqual(trainableNames(model), ['dense_1/kernel:0', 'dense_1/bias:0']);
  unfreezeWeights(base, { from: 'c2' });
  assert.deepEqual(trainableNames(base), ['c2/kernel:0', 'c2/bias:0', 'c3/kernel:0', 'c3/bias:0']);
  freezeWeights(base, { from: 1, to: 'c2' });
  assert.deepEqual(trainableNames(base), ['c3/kernel:0', 'c3/bias:0'], '1-based indices, as in R');
  unfreezeWeights(base);
  assert.equal(base.trainable, true);
});

test('an unknown layer name is an error, never a silent freeze of everything', () => {
  const { base } = baseAndHead();
  assert.throws(() => unfreezeWeights(base, { from: 'block5_conv1' }), /from: 'block5_conv1' is not a layer of sequential_1 .*names c1, c2, c3/);
  assert.throws(() => freezeWeights(base, { to: 9 }), /to: index 9 is not a layer/);
  assert.equal(base.layers.every((l) => l.trainable), true);
});

test('a frozen nested model keeps its weights bit-identical through fit; the stale compile warns', async () => {
  const { base, model } = baseAndHead();
  const data = barsDataset({ samples: 32, size: 8, seed: 1 });
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
  freezeWeights(base);
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (m: string) => warnings.push(m);
  try {
    await model.fit(data.x, data.y, { epochs: 1, batchSize: 8, verbose: 0 });
  } finally {
    console.warn = warn;
  }
  assert.match(warnings.join('\n'), /trainable weights changed since compile \(8 collected, 2 now\).*Call compile\(\) again/);
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
  const before = base.weights.map((w) => w.value.f32.slice());
  const head = model.layers[2]!.weights[0]!.value.f32.slice();
  await model.fit(data.x, data.y, { epochs: 2, batchSize: 8, verbose: 0 });
  base.weights.forEach((w, i) => assert.deepEqual(w.value.f32, before[i]));
  assert.notDeepEqual(model.layers[2]!.weights[0]!.value.f32, head, 'the head still trains');
});

test('a two-output model on a Sequential\'s layers freezes by range; fit with a loss per output leaves the frozen layers bit-identical', async () => {
  const { base } = baseAndHead();
  const c3 = base.layers[2]!;
  const pooled = layers.globalAveragePooling2d().apply(c3.output);
  const a = layers.dense({ units: 1, activation: 'sigmoid', name: 'a' }).apply(pooled);
  const b = layers.dense({ units: 1, activation: 'sigmoid', name: 'b' }).apply(pooled);
  const two = model({ inputs: base.input, outputs: [a, b] });
  assert.deepEqual(two.layers.map((l) => l.name), ['c1_input', 'c1', 'c2', 'c3', 'global_average_pooling2d_1', 'a', 'b']);
  freezeWeights(two, { to: 'c2' });
  assert.equal(two.trainableWeights.length, 6);  // c3, a and b: kernel and bias each
  const frozen = base.layers.slice(0, 2).flatMap((l) => l.getWeights().map((w) => w.f32.slice()));
  const trained = c3.getWeights()[0]!.f32.slice();
  two.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', lossWeights: { a: 1, b: 0.5 } });
  const { x, y } = barsDataset({ samples: 16, size: 8, seed: 1 });
  await two.fit(x, [y, y], { epochs: 2, batchSize: 8, verbose: 0 });
  assert.deepEqual(base.layers.slice(0, 2).flatMap((l) => l.getWeights().map((w) => w.f32)), frozen);
  assert.notDeepEqual(c3.getWeights()[0]!.f32, trained);
});
