import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { flowImagesFromData } from '../../src/data/array-iterator.js';
import { imageDataGenerator } from '../../src/data/image-data-generator.js';
import { generatorNext } from '../../src/data/prefetch-iterator.js';
import { augmentationPreview } from '../../src/data/preview.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { DATA_DIR, needsData, tempDir } from './fixtures.js';

/** n images of 2×2×1 whose pixels all equal the image index. */
const images = (n: number): Tensor => new Tensor(Float32Array.from({ length: n * 4 }, (_, i) => Math.floor(i / 4)), [n, 2, 2, 1]);

test('flowImagesFromData: Keras batch order, labels gathered alongside', async () => {
  const y = new Tensor(Float32Array.from([10, 11, 12, 13, 14]), [5]);
  const it = flowImagesFromData(images(5), y, imageDataGenerator({ rescale: 2 }), { batchSize: 2, shuffle: false });
  const got: number[][] = [];
  for (let k = 0; k < 4; k++) {
    const [x, yb] = await generatorNext(it);
    assert.deepEqual(x.shape, [yb!.shape[0], 2, 2, 1]);
    got.push(Array.from(yb!.data));
    assert.deepEqual(Array.from(x.data).filter((_, i) => i % 4 === 0), Array.from(yb!.data, (v) => (v - 10) * 2));
  }
  assert.deepEqual(got, [[10, 11], [12, 13], [14], [10, 11]]);
  assert.equal(it.length, 3);
});

test('flowImagesFromData: shuffled passes with a seed; one-hot and missing labels', async () => {
  const oneHot = new Tensor(Float32Array.from([1, 0, 0, 1, 1, 0, 0, 1]), [4, 2]);
  const run = async (): Promise<number[]> => {
    const it = flowImagesFromData(images(4), oneHot, imageDataGenerator({ horizontalFlip: true }), { batchSize: 4, seed: 3 });
    const [x, y] = await it.next();
    assert.deepEqual(y!.shape, [4, 2]);
    const order = Array.from({ length: 4 }, (_, i) => x.data[i * 4]!);
    order.forEach((img, i) => assert.deepEqual(Array.from(y!.data.slice(2 * i, 2 * i + 2)), img % 2 === 0 ? [1, 0] : [0, 1]));
    return order;
  };
  const a = await run();
  assert.deepEqual([...a].sort(), [0, 1, 2, 3]);
  assert.deepEqual(await run(), a);
  const [x, y] = await flowImagesFromData(images(3), null, imageDataGenerator(), { batchSize: 8 }).next();
  assert.equal(y, null);
  assert.equal(x.shape[0], 3);
});

test('flowImagesFromData: subsets and argument checks', () => {
  const gen = imageDataGenerator({ validationSplit: 0.5 });
  const y = new Tensor(Float32Array.from([0, 1, 0, 1]), [4]);
  assert.equal(flowImagesFromData(images(4), y, gen, { subset: 'validation' }).samples, 2);
  assert.deepEqual(Array.from(flowImagesFromData(images(4), y, gen, { subset: 'training' }).x.data.filter((_, i) => i % 4 === 0)), [2, 3]);
  const sorted = new Tensor(Float32Array.from([0, 0, 1, 1]), [4]);
  assert.throws(() => flowImagesFromData(images(4), sorted, gen, { subset: 'training' }), /different classes after the split/);
  assert.throws(() => flowImagesFromData(new Tensor(new Float32Array(4), [2, 2]), null, gen), /x should have rank 4/);
  assert.throws(() => flowImagesFromData(images(4), new Tensor(new Float32Array(3), [3]), gen), /same length, got 4 images and 3 labels/);
  assert.throws(() => flowImagesFromData(images(4), null, gen, { batchSize: 0 }), /batchSize must be a positive integer, got 0/);
});

test('augmentationPreview renders a 2×2 grid PNG of a real cat', { skip: needsData }, async (t) => {
  const file = join(tempDir(t), 'preview.png');
  const gen = imageDataGenerator({ rescale: 1 / 255, rotationRange: 40, widthShiftRange: 0.2, heightShiftRange: 0.2,
    shearRange: 0.2, zoomRange: 0.2, horizontalFlip: true });
  const grid = await augmentationPreview(join(DATA_DIR, 'train/cats/cat.3.jpg'), gen, { n: 4, file, seed: 1 });
  const meta = await sharp(file).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['png', 304, 304]);
  assert.equal(grid.data[150 * 3], 255, 'white gap between tiles');
  const topLeft = grid.data.subarray(0, 150 * 3);
  const topRight = grid.data.subarray(154 * 3, 304 * 3);
  assert.notDeepEqual(Array.from(topLeft), Array.from(topRight), 'variants differ');
});
