import assert from 'node:assert/strict';
import { test } from 'node:test';
import { squeezenet } from '../../src/applications/squeezenet.js';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import { clearSession } from '../../src/models/naming.js';
import { setSeed } from '../../src/tensor/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { deprocess, filterGradient, plotFilters, visualizeFilter } from '../../src/visualize/filters.js';
import { randomTensor } from '../helpers/grad-check.js';
import { SQUEEZENET_WEIGHTS } from '../helpers/paths.js';
import { inTempDir, pngSize } from '../helpers/visualize.js';

function smallNet() {
  clearSession();
  setSeed(2);
  return sequential([
    layers.conv2d({ filters: 3, kernelSize: 3, activation: 'tanh', inputShape: [6, 6, 2], name: 'c1' }),
    layers.conv2d({ filters: 2, kernelSize: 3, activation: 'tanh', name: 'c2' }),
    layers.flatten({ name: 'flat' }),
  ]);
}

test('the input gradient of a filter\'s mean activation matches finite differences', () => {
  const model = smallNet();
  const x = randomTensor([1, 6, 6, 2], 3);
  const { value, grad } = filterGradient(model, 'c2', 1, x);
  const valueAt = (data: Float32Array): number => filterGradient(model, 'c2', 1, new Tensor(data, x.shape)).value;
  assert.ok(Math.abs(value - valueAt(x.f32)) < 1e-7);
  const eps = 1e-2;
  for (let i = 0; i < x.size; i++) {
    const plus = x.f32.slice();
    const minus = x.f32.slice();
    plus[i]! += eps;
    minus[i]! -= eps;
    const numeric = (valueAt(plus) - valueAt(minus)) / (2 * eps);
    assert.ok(Math.abs(numeric - grad.f32[i]!) < 1e-4 + 1e-2 * Math.abs(numeric), `pixel ${i}: ${grad.f32[i]} vs ${numeric}`);
  }
});

test('filter ascent on SqueezeNet with its ImageNet weights raises the filter\'s mean activation many times; the pattern is not flat', async () => {
  clearSession();
  const base = await squeezenet({ weights: SQUEEZENET_WEIGHTS, inputShape: [64, 64, 3] });
  const pattern = await visualizeFilter(base, 'fire3/expand3x3', 5, { steps: 20, seed: 1 });
  assert.deepEqual([pattern.width, pattern.height, pattern.channels, pattern.data.length], [64, 64, 3, 64 * 64 * 3]);
  assert.ok(pattern.finalActivation > 10 * Math.max(pattern.startActivation, 0.1),
    `mean activation ${pattern.startActivation} → ${pattern.finalActivation}`);
  const distinct = new Set(pattern.data);
  assert.ok(distinct.size > 50, `${distinct.size} distinct pixel values`);
});

test('deprocess centres at 128 with the book\'s 0.1 spread and clips; plotFilters draws a grid of the first filters', async () => {
  // Mean 0 and std 1: −1 and 1 land at 0.4 and 0.6 of the range.
  assert.deepEqual(Array.from(deprocess(Float32Array.from([-1, 1, -1, 1]))), [102, 153, 102, 153]);
  // An outlier 10 std above the mean clips to white.
  const outlier = deprocess(Float32Array.from({ length: 101 }, (_, i) => (i === 100 ? 101 : 0)));
  assert.equal(outlier[100], 255);
  const model = smallNet();
  await inTempDir(async (dir) => {
    const file = await plotFilters(model, 'c1', `${dir}/filters.png`, { steps: 3, seed: 1, columns: 3 });
    // Three 6×6 patterns in a row, 4 px apart and around.
    assert.deepEqual(await pngSize(file), [3 * 6 + 4 * 4, 6 + 2 * 4]);
  });
});

test('filter visualisation bad input: unknown layer, a layer without feature maps, a filter index out of range', async () => {
  const model = smallNet();
  await assert.rejects(visualizeFilter(model, 'c9', 0), /no layer named 'c9'; its layers are c1, c2, flat/);
  await assert.rejects(visualizeFilter(model, 'flat', 0), /layer 'flat' has no feature maps/);
  await assert.rejects(visualizeFilter(model, 'c2', 2), /filter index 2 is out of range: layer 'c2' has 2 filters \(0\.\.1\)/);
  await assert.rejects(visualizeFilter(model, 'c2', 0, { size: 8 }), /size 8 does not fit .* which takes 6×6 images/);
});
