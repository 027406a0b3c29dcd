import assert from 'node:assert/strict';
import { test } from 'node:test';
import { add, div, maximum, minimum, mul, pow, sub } from '../../src/ops/arithmetic.js';
import { relu, sigmoid, softmax, tanh } from '../../src/ops/activations.js';
import { abs, exp, log, neg, sqrt, square } from '../../src/ops/unary.js';
import { tensor } from '../../src/tensor/create.js';
import { checkGrad, randomTensor } from '../helpers/grad-check.js';

const close = (a: ArrayLike<number>, b: number[], tol = 1e-6): void =>
  b.forEach((v, i) => assert.ok(Math.abs(a[i]! - v) <= tol, `index ${i}: ${a[i]} vs ${v}`));

test('binary ops broadcast like NumPy', () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]);
  const b = tensor([10, 20, 30]);
  close(add(a, b).data, [11, 22, 33, 14, 25, 36]);
  close(mul(a, tensor([[2], [3]])).data, [2, 4, 6, 12, 15, 18]);
  close(sub(a, 1).data, [0, 1, 2, 3, 4, 5]);
  close(div(6, a).data, [6, 3, 2, 1.5, 1.2, 1]);
  assert.deepEqual(add(tensor([[1], [2]]), tensor([1, 2, 3])).shape, [2, 3]);
  assert.throws(() => add(a, tensor([1, 2])), /\[2, 3\] and \[2\] cannot be broadcast/);
});

test('gradients of broadcasting binary ops', () => {
  const a = randomTensor([2, 3, 4], 1);
  const b = randomTensor([3, 1], 2, 0.5, 1.5);
  for (const f of [add, sub, mul, div]) checkGrad(f, [a, b]);
  // Kinks: every pair is more than 2·step (1/16) apart, so the finite difference never straddles one.
  const far = tensor([-0.55, 0.35, 0.05, -0.25]);
  const spread = tensor(Array.from({ length: 24 }, (_, i) => far.data[i % 4]! + (i % 3 === 0 ? 1 : -1) * (0.1 + 0.01 * i)), [2, 3, 4]);
  checkGrad(maximum, [spread, far]);
  checkGrad(minimum, [spread, tensor([[-0.55, 0.35, 0.05, -0.25]])]);
  checkGrad(pow, [randomTensor([5], 5, 0.5, 2), randomTensor([5], 6, 0.5, 2)]);
});

test('gradients of unary ops and activations', () => {
  const x = randomTensor([3, 5], 11);
  const positive = randomTensor([3, 5], 12, 0.5, 2);
  for (const f of [neg, exp, square, tanh, sigmoid, softmax]) checkGrad(f, [x]);
  for (const f of [log, sqrt]) checkGrad(f, [positive]);
  // abs and relu have a kink at 0: every input is more than 2·step (1/16) away from it.
  const signed = tensor(Array.from({ length: 15 }, (_, i) => (i % 2 ? -1 : 1) * (0.1 + 0.06 * i)), [3, 5]);
  for (const f of [abs, relu]) checkGrad(f, [signed]);
});

test('activation values', () => {
  close(relu(tensor([-1, 0, 2])).data, [0, 0, 2]);
  close(sigmoid(tensor([0])).data, [0.5]);
  close(softmax(tensor([[1, 2, 3]])).data, [0.09003057, 0.24472847, 0.66524096]);
});
