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
import { setSeed } from '../../src/tensor/random.js';
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
