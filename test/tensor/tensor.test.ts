import assert from 'node:assert/strict';
import { test } from 'node:test';
import { add } from '../../src/ops/arithmetic.js';
import { reshape } from '../../src/ops/shape.js';
import { ones, randomNormal, randomUniform, tensor, zeros } from '../../src/tensor/create.js';
import { withScope } from '../../src/tensor/memory.js';
import { setSeed } from '../../src/tensor/random.js';
import type { Tensor } from '../../src/tensor/tensor.js';

test('creation, shape and toArray', () => {
  const t = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(t.shape, [2, 3]);
  assert.deepEqual(t.toArray(), [[1, 2, 3], [4, 5, 6]]);
  assert.equal(tensor([1, 2], [2], 'int32').dtype, 'int32');
  assert.deepEqual(Array.from(zeros([2]).data), [0, 0]);
  assert.deepEqual(Array.from(ones([1, 2]).data), [1, 1]);
  assert.throws(() => tensor([1, 2, 3], [2, 2]), /got 3 values for shape \[2, 2\] \(4 needed\)/);
});

test('seeded random tensors repeat', () => {
  assert.deepEqual(randomUniform([5], 0, 1, { seed: 3 }).data, randomUniform([5], 0, 1, { seed: 3 }).data);
  setSeed(9);
  const a = randomNormal([4]);
  setSeed(9);
  assert.deepEqual(randomNormal([4]).data, a.data);
  const u = randomUniform([1000], -2, 2, { seed: 1 });
  assert.ok(Array.from(u.data).every((v) => v >= -2 && v < 2));
});

test('printing is readable and elides long axes', () => {
  assert.equal(String(tensor([[1, 2], [3, 4]])), 'Tensor float32 [2, 2]\n[[1.0000, 2.0000],\n [3.0000, 4.0000]]');
  assert.match(String(tensor(Array.from({ length: 10 }, (_, i) => i))), /\[0\.0000, 1\.0000, 2\.0000, \.\.\., 7\.0000, 8\.0000, 9\.0000\]/);
});

test('a step scope releases the buffers it made, except the kept ones and their views', () => {
  const released: Float32Array[] = [];
  let kept!: Tensor;
  let dropped!: Tensor;
  const outside = add(ones([3]), 1);
  withScope(() => {
    dropped = add(outside, 1);
    const inner = add(outside, 2);
    kept = reshape(inner, [1, 3]);
    return kept;
  }, (k) => [k], (b) => released.push(b));
  assert.deepEqual(released, [dropped.data]);
  assert.deepEqual(Array.from(kept.data), [4, 4, 4]);
  assert.ok(!released.includes(outside.data as Float32Array));
});
