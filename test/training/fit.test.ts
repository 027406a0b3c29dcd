import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barsDataset } from '../../src/data/synthetic-bars.js';
import { layers } from '../../src/layers/index.js';
import { model as tinyModel, sequential } from '../../src/models/factories.js';
import { input } from '../../src/models/input-layer.js';
import { clearSession } from '../../src/models/naming.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { relu } from '../../src/ops/activations.js';
import { neg } from '../../src/ops/unary.js';
import { optimizers } from '../../src/optimizers/index.js';
import { setSeed } from '../../src/tensor/random.js';

function smallConvnet() {
  return sequential([
    layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [16, 16, 1] }),
    layers.maxPooling2d(),
    layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', padding: 'same' }),
    layers.globalAveragePooling2d(),
    layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
}

test('a small convnet learns the bars task to ≥ 95% held-out accuracy', async () => {
  setSeed(1);
  const train = barsDataset({ samples: 256, seed: 1 });
  const heldOut = barsDataset({ samples: 128, seed: 2 });
  const model = smallConvnet();
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'binary_crossentropy', metrics: ['acc'] });
  const history = await model.fit(train.x, train.y, { epochs: 12, batchSize: 32, verbose: 0,
    validationData: [heldOut.x, heldOut.y] });
  assert.deepEqual(Object.keys(history.history), ['loss', 'acc', 'val_loss', 'val_acc']);
  assert.equal(history.epoch.length, 12);
  assert.ok(history.history.loss!.at(-1)! < history.history.loss![0]!, 'loss went down');
  const { acc } = await model.evaluate(heldOut.x, heldOut.y, { batchSize: 50 });
  assert.ok(acc! >= 0.95, `held-out accuracy ${acc}`);
  assert.ok(Math.abs(history.history.val_acc!.at(-1)! - acc!) < 1e-6, 'evaluate agrees with the last validation');
  const predictions = await model.predict(heldOut.x, { batchSize: 40 });
  assert.deepEqual(predictions.shape, [128, 1]);
});

test('setSeed makes initialisation, shuffling and dropout repeatable', async () => {
  const run = async (): Promise<number[]> => {
    setSeed(42);
    const data = barsDataset({ samples: 64, seed: 3 });
    const model = sequential([layers.flatten({ inputShape: [16, 16, 1] }), layers.dropout({ rate: 0.3 }),
      layers.dense({ units: 1, activation: 'sigmoid' })]);
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    const h = await model.fit(data.x, data.y, { epochs: 2, batchSize: 16, verbose: 0 });
    return h.history.loss!;
  };
  assert.deepEqual(await run(), await run());
});

test('array batches are read in place: predict by batches equals one batch; inputs and one-batch outputs stay intact', async () => {
  setSeed(5);
  const data = barsDataset({ samples: 50, seed: 4 });
  const features = sequential([layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [16, 16, 1] }),
    layers.maxPooling2d()]);
  const head = sequential([layers.flatten({ inputShape: [7, 7, 4] }), layers.dense({ units: 2, activation: 'softmax' })]);
  // An op's result as a model's input: its storage is the allocator's pooled memory, which a
  // batch that merely views it must never hand back to the pool.
  const x = relu(await features.predict(data.x, { batchSize: 50 }));
  const before = x.f32.slice();
  const whole = await head.predict(x, { batchSize: 50 });
  const byBatches = await head.predict(x, { batchSize: 16 });  // views at rows 0, 16, 32 and a last batch of 2
  assert.deepEqual([...x.f32], [...before], 'the input is unchanged');
  const wholeBefore = whole.f32.slice();
  relu(neg(x));  // same size as x: it would be given x's storage had a step released it
  relu(neg(whole));  // and the same for the output of a one-batch predict
  assert.deepEqual([...x.f32], [...before], 'the input still holds its values after more allocations');
  assert.deepEqual([...whole.f32], [...wholeBefore], 'a one-batch prediction keeps its values');
  assert.deepEqual(byBatches.shape, [50, 2]);
  for (let i = 0; i < whole.size; i++) assert.ok(Math.abs(byBatches.f32[i]! - whole.f32[i]!) <= 1e-6, `output ${i}`);
  const dataBefore = data.x.f32.slice();
  features.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  await features.fit(data.x, await features.predict(data.x), { epochs: 1, batchSize: 16, shuffle: false, verbose: 0 });
  assert.deepEqual([...data.x.f32], [...dataBefore], 'fit does not write into its inputs');
});

test('evaluate prints one Keras progress line by default (verbose 1) and nothing with verbose 0; predict only when asked', async (t) => {
  setSeed(6);
  const data = barsDataset({ samples: 30, size: 8, seed: 6 });
  const model = sequential([layers.flatten({ inputShape: [8, 8, 1] }), layers.dense({ units: 1, activation: 'sigmoid' })]);
  model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy', metrics: ['acc'] });
  // node:test reports through this process's stdout too: its writes pass through.
  const written: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  t.mock.method(process.stdout, 'write', (chunk: string | Uint8Array) =>
    (typeof chunk === 'string' && chunk.includes('/30 [') ? written.push(chunk) > 0 : write(chunk)));
  const { loss, acc } = await model.evaluate(data.x, data.y, { batchSize: 8 });
  // Arrays count samples; the line ends with the same means evaluate returns.
  assert.equal(written.length, 1);
  assert.match(written[0]!, new RegExp(`^30/30 \\[={30}\\] - \\d+s \\d+[mu]?s/step - loss: ${loss!.toFixed(4)} - acc: ${acc!.toFixed(4)}\\n$`));
  await model.evaluate(data.x, data.y, { batchSize: 8, verbose: 0 });
  await model.predict(data.x, { batchSize: 8 });
  assert.equal(written.length, 1, 'verbose 0, and predict by default, print nothing');
  await model.predict(data.x, { batchSize: 8, verbose: 1 });
  assert.match(written[1]!, /^30\/30 \[={30}\] - \d+s \d+[mu]?s\/step\n$/);
});

test('a two-output model trains with a loss per output and loss weights; history and evaluate name each output, as Keras 2', async () => {
  clearSession();
  setSeed(2);
  const train = barsDataset({ samples: 256, seed: 3 });
  const heldOut = barsDataset({ samples: 96, seed: 4 });
  const oneHot = (y: Tensor): Tensor => new Tensor(Float32Array.from(Array.from(y.f32).flatMap((v) => [1 - v, v])), [y.shape[0]!, 2]);
  const x = input({ shape: [16, 16, 1] });
  let h = layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu' }).apply(x);
  h = layers.globalAveragePooling2d().apply(layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', padding: 'same' })
    .apply(layers.maxPooling2d().apply(h)));
  const binary = layers.dense({ units: 1, activation: 'sigmoid', name: 'is_vertical' }).apply(h);
  const both = layers.dense({ units: 2, activation: 'softmax', name: 'which' }).apply(h);
  const model = tinyModel({ inputs: x, outputs: [binary, both] });
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: { which: 'categoricalCrossentropy', is_vertical: 'binaryCrossentropy' },
    lossWeights: [1, 0.5], metrics: ['acc'] });
  const history = await model.fit(train.x, [train.y, oneHot(train.y)], { epochs: 12, batchSize: 32, verbose: 0,
    validationData: [heldOut.x, [heldOut.y, oneHot(heldOut.y)]] });
  assert.deepEqual(Object.keys(history.history), ['loss', 'is_vertical_loss', 'which_loss', 'is_vertical_acc', 'which_acc',
    'val_loss', 'val_is_vertical_loss', 'val_which_loss', 'val_is_vertical_acc', 'val_which_acc']);
  const scores = await model.evaluate(heldOut.x, [heldOut.y, oneHot(heldOut.y)], { verbose: 0 });
  assert.ok(Math.abs(scores.loss! - (scores.is_vertical_loss! + 0.5 * scores.which_loss!)) < 1e-5, JSON.stringify(scores));
  assert.ok(scores.is_vertical_acc! >= 0.9 && scores.which_acc! >= 0.9, JSON.stringify(scores));
  await assert.rejects(model.fit(train.x, train.y, { verbose: 0 }), /has 2 output\(s\) \(is_vertical, which\) but the labels are 1 array/);
  assert.throws(() => model.compile({ optimizer: 'sgd', loss: ['mse'] }), /loss has 1 entries for 2 outputs \(is_vertical, which\)/);
  assert.throws(() => model.compile({ optimizer: 'sgd', loss: { which: 'mse' } }), /loss must name every output \(is_vertical, which\), got which/);
});
