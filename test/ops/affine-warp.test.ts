import assert from 'node:assert/strict';
import { test } from 'node:test';
import { affineWarp, type WarpFillMode } from '../../src/ops/affine-warp.js';
import { tensor } from '../../src/tensor/create.js';
import { checkGrad, randomTensor } from '../helpers/grad-check.js';

const row = tensor([1, 2, 3, 4], [1, 1, 4, 1]);

test('fill modes read outside the image as TensorFlow does: reflect, wrap, nearest, constant', () => {
  const shiftLeft2 = new Float64Array([1, 0, 2, 0, 1, 0]);
  const expected: Record<WarpFillMode, number[]> = { reflect: [3, 4, 4, 3], wrap: [3, 4, 1, 2], nearest: [3, 4, 4, 4], constant: [3, 4, 9, 9] };
  for (const [fillMode, values] of Object.entries(expected)) {
    const y = affineWarp(row, shiftLeft2, { fillMode: fillMode as WarpFillMode, fillValue: 9 });
    assert.deepEqual(Array.from(y.data), values, fillMode);
  }
});

test('bilinear sampling between pixels, nearest rounding half away from zero', () => {
  const half = new Float64Array([1, 0, 0.5, 0, 1, 0]);
  assert.deepEqual(Array.from(affineWarp(row, half, { fillMode: 'nearest' }).data), [1.5, 2.5, 3.5, 4]);
  assert.deepEqual(Array.from(affineWarp(row, half, { interpolation: 'nearest', fillMode: 'nearest' }).data), [2, 3, 4, 4]);
});

test('affineWarp gradients: the same weights sent back, each image with its own map', () => {
  const x = randomTensor([2, 5, 4, 2], 3);
  const maps = new Float64Array([0.9, 0.2, 0.3, -0.1, 1.1, -0.4, 1, 0, 1.5, 0, 1, -2.25]);
  for (const fillMode of ['reflect', 'constant', 'wrap'] as const) checkGrad((v) => affineWarp(v, maps, { fillMode }), [x]);
});
