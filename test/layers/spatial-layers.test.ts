import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layers } from '../../src/layers/index.js';
import { clearSession } from '../../src/models/naming.js';
import { tensor } from '../../src/tensor/create.js';
import { runLayerTest } from '../helpers/layer-test.js';

const image = tensor([1, 2, 3, 4, 5, 6], [1, 2, 3, 1]);

test('ZeroPadding2D, Cropping2D and UpSampling2D move pixels as Keras does', () => {
  assert.deepEqual(Array.from(layers.zeroPadding2d({ padding: [[1, 0], [0, 2]] }).apply(image).data),
    [0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 4, 5, 6, 0, 0]);
  assert.deepEqual(Array.from(layers.cropping2d({ cropping: [[0, 1], [1, 1]] }).apply(image).data), [2]);
  assert.deepEqual(Array.from(layers.upSampling2d({ size: [1, 2] }).apply(image).data), [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
  assert.deepEqual(layers.zeroPadding2d().getConfig().padding, [[1, 1], [1, 1]]);
  assert.throws(() => layers.zeroPadding2d({ padding: [1, -1] }), /padding must be n, \[rows, cols\]/);
  assert.throws(() => layers.cropping2d({ cropping: 1 }).apply(image), /leaves nothing/);
});

test('runLayerTest: ZeroPadding2D, Cropping2D, UpSampling2D', async () => {
  clearSession();
  await runLayerTest({ make: () => layers.zeroPadding2d({ padding: [[0, 1], [2, 1]] }), inputShape: [3, 2, 2],
    outputShape: [4, 5, 2], trainableWeights: 0, nonTrainableWeights: 0 });
  await runLayerTest({ make: () => layers.cropping2d({ cropping: [1, 2] }), inputShape: [4, 5, 2],
    outputShape: [2, 1, 2], trainableWeights: 0, nonTrainableWeights: 0 });
  await runLayerTest({ make: () => layers.upSampling2d({ size: [2, 3] }), inputShape: [2, 2, 3],
    outputShape: [4, 6, 3], trainableWeights: 0, nonTrainableWeights: 0 });
});
