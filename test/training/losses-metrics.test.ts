import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binaryCrossentropy, categoricalCrossentropy, meanSquaredError, sparseCategoricalCrossentropy } from '../../src/losses/losses.js';
import { binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy } from '../../src/metrics/metrics.js';
import { tensor } from '../../src/tensor/create.js';
import { checkGrad, randomTensor } from '../helpers/grad-check.js';

const near = (a: number, b: number, tol = 1e-5): void => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

// Values from ../shared/spec/summary-and-training.md §6.
test('binary cross-entropy on probabilities with Keras clipping', () => {
  near(binaryCrossentropy(tensor([[1]]), tensor([[0.9]])).item(), 0.1053605);
  near(binaryCrossentropy(tensor([[0]]), tensor([[0.9]])).item(), 2.3025851);
  near(binaryCrossentropy(tensor([[1]]), tensor([[0.5]])).item(), 0.6931472);
  near(binaryCrossentropy(tensor([[1]]), tensor([[0]])).item(), 16.118095, 1e-4);
  near(binaryCrossentropy(tensor([[0]]), tensor([[1]])).item(), 15.9424, 1e-3);
  near(binaryCrossentropy(tensor([1, 0]), tensor([[0.9], [0.9]])).item(), (0.1053605 + 2.3025851) / 2);
});

test('categorical, sparse categorical and mean squared error', () => {
  const p = tensor([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]);
  const expected = -(Math.log(0.7) + Math.log(0.8)) / 2;
  near(categoricalCrossentropy(tensor([[1, 0, 0], [0, 0, 1]]), p).item(), expected);
  near(sparseCategoricalCrossentropy(tensor([0, 2]), p).item(), expected);
  near(meanSquaredError(tensor([[1, 2]]), tensor([[2, 4]])).item(), 2.5);
  assert.throws(() => sparseCategoricalCrossentropy(tensor([0, 3]), p), /label 3 at index 1 is not a class index in \[0, 3\)/);
  assert.throws(() => binaryCrossentropy(tensor([1, 0, 1]), tensor([[0.5], [0.5]])), /targets of shape \[3\] do not match predictions of shape \[2, 1\]/);
});

test('loss gradients agree with finite differences', () => {
  // log's higher derivatives grow as 1/p⁵ near 0: a small step keeps the difference's error down.
  const p = randomTensor([4, 1], 1, 0.1, 0.9);
  checkGrad((q) => binaryCrossentropy(tensor([[1], [0], [1], [0]]), q), [p], { step: 2 ** -8 });
  const probs = randomTensor([2, 3], 2, 0.1, 0.9);
  checkGrad((q) => categoricalCrossentropy(tensor([[0, 1, 0], [1, 0, 0]]), q), [probs], { step: 2 ** -8 });
});

test('accuracy metrics', () => {
  assert.equal(binaryAccuracy(tensor([1, 0, 1, 0]), tensor([[0.6], [0.4], [0.5], [0.9]])), 0.5);
  assert.equal(categoricalAccuracy(tensor([[0, 1], [1, 0]]), tensor([[0.2, 0.8], [0.3, 0.7]])), 0.5);
  assert.equal(sparseCategoricalAccuracy(tensor([1, 1]), tensor([[0.2, 0.8], [0.3, 0.7]])), 1);
});
