import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadWeights, saveWeights } from '../../src/io/weights.js';
import { layers } from '../../src/layers/index.js';
import { freezeWeights } from '../../src/models/freeze.js';
import { sequential } from '../../src/models/factories.js';
import { clearSession } from '../../src/models/naming.js';
import { tensor } from '../../src/tensor/create.js';
import { optimizers } from '../../src/optimizers/index.js';
import { setSeed } from '../../src/tensor/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { randomTensor } from '../helpers/grad-check.js';
import { runLayerTest } from '../helpers/layer-test.js';

const close = (actual: ArrayLike<number>, expected: readonly number[], tol = 1e-6): void => {
  assert.equal(actual.length, expected.length);
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i]! - e) <= tol, `element ${i}: ${actual[i]} vs ${e}`));
};

test('batch statistics in training, biased variance in the moving average (Keras 3 on [1, 2, 3, 6])', () => {
  const bn = layers.batchNormalization({ momentum: 0 });
  const y = bn.apply(tensor([[1], [2], [3], [6]]), { training: true });
  close(y.data, [-1.0688922, -0.5344461, 0, 1.6033385]);
  const [gamma, beta, movingMean, movingVariance] = bn.weights;
  assert.deepEqual([gamma, beta, movingMean, movingVariance].map((w) => w!.name.split('/')[1]),
    ['gamma:0', 'beta:0', 'moving_mean:0', 'moving_variance:0']);
  close(movingMean!.value.data, [3]);
  close(movingVariance!.value.data, [3.5]);
  // Inference with those statistics gives the training output back, to ε's effect.
  close(bn.apply(tensor([[1], [2], [3], [6]])).data, [-1.0688922, -0.5344461, 0, 1.6033385]);
});

test('moving statistics move by 1 − momentum (0.99) per training call; inference leaves them', () => {
  const bn = layers.batchNormalization();
  const x = tensor([[0, 10], [2, 30]]);
  bn.apply(x);
  const [, , movingMean, movingVariance] = bn.weights;
  close(movingMean!.value.data, [0, 0]);
  bn.apply(x, { training: true });
  close(movingMean!.value.data, [0.01, 0.2]);
  close(movingVariance!.value.data, [0.99 + 0.01 * 1, 0.99 + 0.01 * 100], 1e-5);
  assert.equal(bn.trainableWeights.length, 2);
  assert.equal(bn.nonTrainableWeights.length, 2);
  assert.equal(bn.countParams(), 8);
});

test('freezeWeights puts batch normalization in inference mode, even in training calls', () => {
  clearSession();
  const bn = layers.batchNormalization({ inputShape: [2] });
  const base = sequential([bn]);
  const outer = sequential([base, layers.dense({ units: 1 })]);
  const x = tensor([[1, 5], [3, 9]]);
  freezeWeights(base);
  const frozen = outer.apply(x, { training: true });
  const inference = outer.apply(x, { training: false });
  assert.deepEqual(Array.from(frozen.data), Array.from(inference.data));
  close(bn.weights[2]!.value.data, [0, 0]);
  base.trainable = true;
  outer.apply(x, { training: true });
  close(bn.weights[2]!.value.data, [0.02, 0.07]);
});

test('runLayerTest: batch normalization in training and in inference, on images and vectors', async () => {
  clearSession();
  setSeed(5);
  const make = () => layers.batchNormalization({ momentum: 0.5, epsilon: 0.01 });
  await runLayerTest({ make, inputShape: [3, 2, 4], outputShape: [3, 2, 4], trainableWeights: 2, nonTrainableWeights: 2,
    training: true });
  await runLayerTest({ make, inputShape: [5], outputShape: [5], trainableWeights: 2, nonTrainableWeights: 2 });
  await runLayerTest({ make: () => layers.batchNormalization({ center: false, axis: 1 }), inputShape: [3, 4], outputShape: [3, 4],
    trainableWeights: 1, nonTrainableWeights: 2, training: true });
});

test('bad input: batch normalization weights of the wrong length or count name the file, the layer and the shapes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'deeptype-bn-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const [three, uncentered] = [join(dir, 'three.h5'), join(dir, 'uncentered.h5')];
  await saveWeights(sequential([layers.batchNormalization({ name: 'bn', inputShape: [3] })]), three);
  await saveWeights(sequential([layers.batchNormalization({ name: 'bn', center: false, inputShape: [4] })]), uncentered);
  const four = sequential([layers.batchNormalization({ name: 'bn', inputShape: [4] })]);
  for (const byName of [false, true]) {
    await assert.rejects(loadWeights(four, three, { byName }), (e: Error) =>
      e.message.startsWith(`${three}: layer 'bn' (BatchNormalization)`) && /has shape \(4,\) in the model, but .* has shape \(3,\)/.test(e.message));
  }
  await assert.rejects(loadWeights(four, uncentered), (e: Error) => e.message.includes(uncentered) && /bn/.test(e.message) &&
    /4 weights.*3/.test(e.message));
  assert.throws(() => four.layers[0]!.setWeights([1, 2, 3, 4].map(() => new Float32Array(3))),
    /bn: weight bn\/gamma:0: expected 4 values for shape \[4\], got 3/);
});

test('fit trains a convnet with batch normalization; the summary counts the moving statistics as non-trainable', async () => {
  clearSession();
  setSeed(9);
  // Horizontal (class 0) or vertical (class 1) bars on 6×6 noise.
  const n = 64;
  const images = new Float32Array(n * 36);
  const labels = new Float32Array(n);
  const rng = randomTensor([n * 36 + n * 2], 3, 0, 1).data;
  for (let i = 0; i < n; i++) {
    labels[i] = i % 2;
    const at = Math.floor(rng[n * 36 + i]! * 6);
    for (let p = 0; p < 36; p++) {
      const [r, c] = [Math.floor(p / 6), p % 6];
      images[i * 36 + p] = 0.3 * rng[i * 36 + p]! + ((i % 2 === 0 ? r : c) === at ? 2 : 0);
    }
  }
  const model = sequential([
    layers.conv2d({ filters: 4, kernelSize: 3, useBias: false, inputShape: [6, 6, 1] }),
    layers.batchNormalization(),
    layers.relu(),
    layers.flatten(),
    layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
  assert.match(model.summary({ print: () => {} }), /Total params: 117\nTrainable params: 109\nNon-trainable params: 8/);
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.02 }), loss: 'binaryCrossentropy', metrics: ['acc'] });
  const history = await model.fit(new Tensor(images, [n, 6, 6, 1]), new Tensor(labels, [n, 1]),
    { epochs: 15, batchSize: 16, verbose: 0 });
  const acc = history.history.acc!;
  assert.ok(acc[acc.length - 1]! >= 0.95, `training accuracy ${acc.join(', ')}`);
  const movingMean = model.layers[1]!.weights[2]!.value.data;
  assert.ok(movingMean.some((v) => Math.abs(v) > 0.01), 'the moving mean moved');
  const evaluated = await model.evaluate(new Tensor(images, [n, 6, 6, 1]), new Tensor(labels, [n, 1]), { verbose: 0 });
  assert.ok(evaluated.acc! >= 0.9, `inference accuracy ${evaluated.acc}`);
});
