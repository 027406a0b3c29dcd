import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dense, matmul } from '../../src/ops/matmul.js';
import { max, mean, sum } from '../../src/ops/reduce.js';
import { concat, flatten, gather, reshape, slice, transpose } from '../../src/ops/shape.js';
import { tensor } from '../../src/tensor/create.js';
import { checkGrad, randomTensor } from '../helpers/grad-check.js';

test('reductions over axes', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(Array.from(sum(x).data), [21]);
  assert.deepEqual(Array.from(sum(x, 0).data), [5, 7, 9]);
  assert.deepEqual(sum(x, 1, true).shape, [2, 1]);
  assert.deepEqual(Array.from(mean(x, -1).data), [2, 5]);
  assert.deepEqual(Array.from(max(x, 0).data), [4, 5, 6]);
  assert.throws(() => sum(x, 2), /axis 2 is out of range for a tensor of rank 2/);
});

test('reduction gradients', () => {
  const x = randomTensor([2, 3, 4], 3);
  checkGrad((a) => sum(a, [0, 2]), [x]);
  checkGrad((a) => mean(a, 1, true), [x]);
  // Distinct values 0.1 apart: nudging one by up to 2·step (1/16) never changes which is the max.
  checkGrad((a) => max(a, -1), [tensor(Array.from({ length: 24 }, (_, i) => (((i * 7) % 24) - 12) / 10), [2, 3, 4])]);
  checkGrad((a) => mean(a), [x]);
});

test('matmul and dense values and gradients', () => {
  const a = tensor([[1, 2], [3, 4]]);
  assert.deepEqual(Array.from(matmul(a, tensor([[5], [6]])).data), [17, 39]);
  assert.deepEqual(Array.from(dense(a, tensor([[1, -1], [1, -1]]), tensor([0.5, 0.5]), 'relu').data), [3.5, 0, 7.5, 0]);
  checkGrad(matmul, [randomTensor([3, 5], 1), randomTensor([5, 2], 2)]);
  checkGrad((x, k, b) => dense(x, k, b, 'sigmoid'), [randomTensor([4, 3], 3), randomTensor([3, 2], 4), randomTensor([2], 5)]);
  checkGrad((x, k) => dense(x, k, null, 'linear'), [randomTensor([4, 3], 6), randomTensor([3, 2], 7)]);
  assert.throws(() => matmul(a, tensor([[1, 2, 3]])), /\[m, k\] and \[k, n\].*\[2, 2\] and \[1, 3\]/);
});

test('shape ops: values and gradients', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(Array.from(transpose(x).data), [1, 4, 2, 5, 3, 6]);
  assert.deepEqual(reshape(x, [3, -1]).shape, [3, 2]);
  assert.deepEqual(flatten(randomTensor([2, 3, 4, 5], 1)).shape, [2, 60]);
  assert.deepEqual(Array.from(slice(x, 1, 1).data), [4, 5, 6]);
  assert.deepEqual(Array.from(gather(x, [1, 0, 1]).data), [4, 5, 6, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(concat([x, tensor([[7], [8]])], 1).data), [1, 2, 3, 7, 4, 5, 6, 8]);
  assert.throws(() => reshape(x, [4, 2]), /cannot reshape \[2, 3\] \(6 values\) to \[4, 2\]/);
  const y = randomTensor([2, 3, 4], 9);
  checkGrad((a) => transpose(a, [2, 0, 1]), [y]);
  checkGrad((a) => reshape(a, [4, 6]), [y]);
  checkGrad((a) => gather(a, [1, 1, 0]), [y]);
  checkGrad((a, b) => concat([a, b], -1), [y, randomTensor([2, 3, 2], 10)]);
  checkGrad((a, b) => concat([a, b], 0), [y, randomTensor([1, 3, 4], 11)]);
});
