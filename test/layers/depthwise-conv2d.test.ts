import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layers } from '../../src/layers/index.js';
import { clearSession } from '../../src/models/naming.js';
import { conv2d } from '../../src/ops/conv2d.js';
import { depthwiseConv2d } from '../../src/ops/depthwise-conv2d.js';
import type { Padding } from '../../src/ops/padding.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { setSeed } from '../../src/tensor/random.js';
import { checkGrad, randomTensor } from '../helpers/grad-check.js';
import { runLayerTest } from '../helpers/layer-test.js';
import { maxAbsDiff } from '../io/helpers.js';

/** The depthwise kernel as a full convolution's: channel c's filter m feeds output c·M + m, zeros elsewhere. */
function blockDiagonal(kernel: Tensor): Tensor {
  const [kh, kw, c, m] = kernel.shape as [number, number, number, number];
  const full = new Float32Array(kh * kw * c * c * m);
  for (let tap = 0; tap < kh * kw; tap++) {
    for (let ch = 0; ch < c; ch++) {
      for (let k = 0; k < m; k++) full[(tap * c + ch) * c * m + ch * m + k] = kernel.data[(tap * c + ch) * m + k]!;
    }
  }
  return new Tensor(full, [kh, kw, c, c * m]);
}

test('depthwiseConv2d equals a convolution with a block-diagonal kernel, over strides, paddings and multipliers', () => {
  const cases: [number[], number[], number, Padding][] = [
    [[2, 7, 6, 3], [3, 3, 3, 1], 1, 'same'], [[1, 8, 9, 2], [3, 2, 2, 3], 2, 'valid'], [[2, 5, 5, 4], [3, 3, 4, 2], 2, 'same'],
  ];
  cases.forEach(([xs, ks, strides, padding], i) => {
    const x = randomTensor(xs, i);
    const kernel = randomTensor(ks, 10 + i);
    const expected = conv2d(x, blockDiagonal(kernel), { strides, padding });
    const actual = depthwiseConv2d(x, kernel, { strides, padding });
    assert.deepEqual(actual.shape, expected.shape);
    assert.ok(maxAbsDiff(actual.data, expected.data) < 1e-5, `case ${i}`);
    checkGrad((a, k) => depthwiseConv2d(a, k, { strides, padding }), [x, kernel]);
  });
});

test('runLayerTest: DepthwiseConv2D and SeparableConv2D', async () => {
  clearSession();
  setSeed(6);
  const depthwise = layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2 });
  await runLayerTest({ make: () => layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2 }),
    inputShape: [5, 4, 3], outputShape: [3, 2, 6], trainableWeights: 2, nonTrainableWeights: 0 });
  await runLayerTest({ make: () => layers.depthwiseConv2d({ kernelSize: [2, 3], useBias: false, activation: 'elu' }),
    inputShape: [4, 4, 2], outputShape: [3, 2, 2], trainableWeights: 1, nonTrainableWeights: 0 });
  await runLayerTest({ make: () => layers.separableConv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'tanh' }),
    inputShape: [4, 5, 3], outputShape: [4, 5, 4], trainableWeights: 3, nonTrainableWeights: 0 });
  depthwise.apply(randomTensor([1, 5, 4, 3], 1));
  assert.deepEqual(depthwise.weights.map((w) => [w.name, ...w.shape]), [[`${depthwise.name}/depthwise_kernel:0`, 3, 3, 3, 2],
    [`${depthwise.name}/bias:0`, 6]]);
});

test('SeparableConv2D: a depthwise then a pointwise convolution, weights in Keras order', () => {
  const layer = layers.separableConv2d({ filters: 2, kernelSize: 3, depthMultiplier: 2 });
  const x = randomTensor([2, 5, 5, 3], 4);
  const y = layer.apply(x);
  const [depthwise, pointwise, bias] = layer.weights;
  assert.deepEqual([depthwise, pointwise, bias].map((w) => w!.shape), [[3, 3, 3, 2], [1, 1, 6, 2], [2]]);
  const expected = conv2d(depthwiseConv2d(x, depthwise!.value), pointwise!.value, { bias: bias!.value });
  assert.ok(maxAbsDiff(y.data, expected.data) < 1e-6);
});
