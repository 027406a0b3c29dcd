import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conv2d } from '../../src/ops/conv2d.js';
import { axisGeometry } from '../../src/ops/padding.js';
import { averagePool2d, maxPool2d } from '../../src/ops/pool2d.js';
import { tensor } from '../../src/tensor/create.js';
import { checkGrad, randomTensor } from '../helpers/grad-check.js';

test('TF same-padding rule puts the odd pixel at the end', () => {
  assert.deepEqual(axisGeometry(150, 3, 1, 'same'), { out: 150, padBefore: 1 });
  assert.deepEqual(axisGeometry(150, 3, 2, 'same'), { out: 75, padBefore: 0 });
  assert.deepEqual(axisGeometry(5, 2, 1, 'same'), { out: 5, padBefore: 0 });
  assert.deepEqual(axisGeometry(148, 2, 2, 'valid'), { out: 74, padBefore: 0 });
  assert.deepEqual(axisGeometry(15, 2, 2, 'valid'), { out: 7, padBefore: 0 });
});

test('conv2d is cross-correlation with NHWC input and [kh, kw, in, out] kernel', () => {
  const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
  const k = tensor([1, 0, 0, -1], [2, 2, 1, 1]);
  assert.deepEqual(Array.from(conv2d(x, k).data), [-4, -4, -4, -4]);
  const same = conv2d(x, k, { padding: 'same' });
  assert.deepEqual(same.shape, [1, 3, 3, 1]);
  // The padded row and column are at the bottom/right: the last row sees only x[2, j] − 0.
  assert.deepEqual(Array.from(same.data), [-4, -4, 3, -4, -4, 6, 7, 8, 9]);
  const biased = conv2d(x, k, { bias: tensor([10]), activation: 'relu' });
  assert.deepEqual(Array.from(biased.data), [6, 6, 6, 6]);
});

test('conv2d gradients: strides 1 and 2, both paddings, odd sizes, fused bias + activation', () => {
  let seed = 20;
  for (const [h, w, k, s, padding] of [[5, 5, 3, 1, 'valid'], [5, 4, 3, 2, 'same'], [6, 7, 1, 1, 'same'],
    [7, 5, 5, 2, 'valid'], [4, 4, 2, 2, 'same']] as const) {
    const x = randomTensor([2, h, w, 3], seed++);
    const kernel = randomTensor([k, k, 3, 2], seed++);
    const bias = randomTensor([2], seed++);
    checkGrad((a, b) => conv2d(a, b, { strides: s, padding }), [x, kernel]);
    checkGrad((a, b, c) => conv2d(a, b, { strides: s, padding, bias: c, activation: 'tanh' }), [x, kernel, bias]);
  }
});

test('pooling values and same-padding ignores padded cells', () => {
  const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
  assert.deepEqual(Array.from(maxPool2d(x).data), [5]);
  assert.deepEqual(Array.from(maxPool2d(x, { padding: 'same' }).data), [5, 6, 8, 9]);
  assert.deepEqual(Array.from(averagePool2d(x, { padding: 'same' }).data), [3, 4.5, 7.5, 9]);
  assert.deepEqual(maxPool2d(randomTensor([1, 15, 15, 2], 1)).shape, [1, 7, 7, 2]);
  assert.deepEqual(maxPool2d(x, { poolSize: 2, strides: 1 }).shape, [1, 2, 2, 1]);
});

test('pooling gradients: strides 1 and 2, both paddings, odd sizes', () => {
  // Distinct values keep max-pool's winner stable under the finite-difference nudge.
  const x = tensor(Array.from({ length: 2 * 5 * 7 * 2 }, (_, i) => ((i * 37) % 140) / 10), [2, 5, 7, 2]);
  for (const options of [{}, { padding: 'same' as const }, { poolSize: 3, strides: 1 }, { poolSize: 3, strides: 2, padding: 'same' as const }]) {
    checkGrad((a) => maxPool2d(a, options), [x], { eps: 1e-3 });
    checkGrad((a) => averagePool2d(a, options), [x], { eps: 1e-3 });
  }
});
