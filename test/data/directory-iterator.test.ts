import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { flowImagesFromDirectory } from '../../src/data/directory-iterator.js';
import { imageDataGenerator } from '../../src/data/image-data-generator.js';
import { generatorNext } from '../../src/data/prefetch-iterator.js';
import { DATA_DIR, captureConsole, needsData, tempDir, writeImage } from './fixtures.js';

/** A tree of tiny solid images: class a gets `a` images, class b gets `b`; pixel value encodes the file. */
async function tree(dir: string, a: number, b: number): Promise<void> {
  for (const [cls, count] of [['a', a], ['b', b]] as const) {
    mkdirSync(join(dir, cls));
    for (let i = 0; i < count; i++) {
      const v = (cls === 'a' ? 0 : 100) + i * 10;
      await writeImage(join(dir, cls, `img${i}.png`), 4, 3, { r: v, g: v, b: v });
    }
  }
}

const firstPixels = (x: { data: ArrayLike<number>; shape: readonly number[] }): number[] => {
  const size = x.shape.slice(1).reduce((p, d) => p * d, 1);
  return Array.from({ length: x.shape[0]! }, (_, i) => x.data[i * size]!);
};

test('lecture data: train/ lists like Keras and yields [20, 150, 150, 3] batches in [0, 1]', { skip: needsData }, async (t) => {
  const { logs } = captureConsole(t);
  const gen = imageDataGenerator({ rescale: 1 / 255 });
  const it = flowImagesFromDirectory(join(DATA_DIR, 'train'), gen, { targetSize: [150, 150], batchSize: 20, classMode: 'binary', shuffle: false });
  assert.deepEqual(logs, ['Found 2000 images belonging to 2 classes.']);
  assert.deepEqual(it.classIndices, { cats: 0, dogs: 1 });
  assert.equal(it.samples, 2000);
  assert.equal(it.length, 100);
  assert.deepEqual(it.filenames.slice(0, 5), ['cats/cat.0.jpg', 'cats/cat.1.jpg', 'cats/cat.10.jpg', 'cats/cat.100.jpg', 'cats/cat.101.jpg'], 'string order, not numeric');
  assert.equal(it.classes.filter((c) => c === 0).length, 1000);
  assert.equal(it.classes[999], 0);
  assert.equal(it.classes[1000], 1);
  const [x, y] = await generatorNext(it);
  assert.deepEqual(x.shape, [20, 150, 150, 3]);
  assert.deepEqual(y!.shape, [20]);
  assert.deepEqual(Array.from(y!.data), new Array(20).fill(0));
  let min = Infinity;
  let max = -Infinity;
  for (const v of x.f32) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  assert.ok(min >= 0 && max <= 1 && max > 0.9, `values in [0, 1], got [${min}, ${max}]`);
});

test('lecture data: categorical labels, shuffled with a seed, reproducible', { skip: needsData }, async (t) => {
  captureConsole(t);
  const make = () => flowImagesFromDirectory(join(DATA_DIR, 'validation'), imageDataGenerator({ rescale: 1 / 255, rotationRange: 40, horizontalFlip: true }),
    { targetSize: [64, 64], batchSize: 8, seed: 42 });
  const [x1, y1] = await make().next();
  const [x2, y2] = await make().next();
  assert.deepEqual(y1!.shape, [8, 2]);
  assert.ok(Array.from({ length: 8 }, (_, i) => y1!.data[2 * i]! + y1!.data[2 * i + 1]!).every((s) => s === 1), 'one-hot rows');
  assert.deepEqual(Array.from(y1!.data), Array.from(y2!.data));
  assert.deepEqual(x1.f32, x2.f32);
});

test('batch order: shuffle=false, short last batch, endless looping, no empty batch', async (t) => {
  const { logs } = captureConsole(t);
  const dir = tempDir(t);
  await tree(dir, 3, 2);
  const it = flowImagesFromDirectory(dir, imageDataGenerator(), { targetSize: [3, 4], batchSize: 2, shuffle: false, classMode: 'sparse' });
  assert.deepEqual(logs, ['Found 5 images belonging to 2 classes.']);
  const seen: number[][] = [];
  const labels: number[][] = [];
  for (let k = 0; k < 6; k++) {
    const [x, y] = await it.next();
    seen.push(firstPixels(x));
    labels.push(Array.from(y!.data));
  }
  assert.deepEqual(seen, [[0, 10], [20, 100], [110], [0, 10], [20, 100], [110]]);
  assert.deepEqual(labels, [[0, 0], [0, 1], [1], [0, 0], [0, 1], [1]]);
  const four = flowImagesFromDirectory(dir, imageDataGenerator(), { targetSize: [3, 4], batchSize: 5, shuffle: false, classes: ['b', 'a'] });
  const [x, y] = await four.next();
  assert.deepEqual(firstPixels(x), [100, 110, 0, 10, 20]);
  assert.deepEqual(Array.from(y!.data), [1, 0, 1, 0, 0, 1, 0, 1, 0, 1]);
});

test('shuffling: each pass is a permutation; seeds repeat, different seeds differ', async (t) => {
  captureConsole(t);
  const dir = tempDir(t);
  await tree(dir, 4, 4);
  const pass = async (seed: number): Promise<number[]> => {
    const it = flowImagesFromDirectory(dir, imageDataGenerator(), { targetSize: [3, 4], batchSize: 3, seed, classMode: null });
    const out: number[] = [];
    for await (const [x, y] of it) {
      assert.equal(y, null);
      out.push(...firstPixels(x));
      if (out.length >= 16) break;
    }
    return out;
  };
  const a = await pass(1);
  assert.deepEqual(a.slice(0, 8).sort((p, q) => p - q), [0, 10, 20, 30, 100, 110, 120, 130]);
  assert.deepEqual(a.slice(8, 16).sort((p, q) => p - q), [0, 10, 20, 30, 100, 110, 120, 130]);
  assert.notDeepEqual(a.slice(0, 8), a.slice(8, 16), 'reshuffled on the second pass');
  assert.deepEqual(await pass(1), a);
  assert.notDeepEqual(await pass(2), a);
});

test('classMode input returns a copy of x; subsets split each class', async (t) => {
  captureConsole(t);
  const dir = tempDir(t);
  await tree(dir, 4, 2);
  const [x, y] = await flowImagesFromDirectory(dir, imageDataGenerator({ rescale: 0.5 }), { targetSize: [3, 4], classMode: 'input', batchSize: 2 }).next();
  assert.deepEqual(y!.shape, x.shape);
  assert.deepEqual(y!.f32, x.f32);
  assert.notEqual(y!.data, x.data);
  const gen = imageDataGenerator({ validationSplit: 0.5 });
  const val = flowImagesFromDirectory(dir, gen, { targetSize: [3, 4], subset: 'validation', shuffle: false });
  const train = flowImagesFromDirectory(dir, gen, { targetSize: [3, 4], subset: 'training', shuffle: false });
  assert.deepEqual(val.filenames, ['a/img0.png', 'a/img1.png', 'b/img0.png']);
  assert.deepEqual(train.filenames, ['a/img2.png', 'a/img3.png', 'b/img1.png']);
  assert.throws(() => flowImagesFromDirectory(dir, imageDataGenerator(), { subset: 'validation' }), /needs a generator made with imageDataGenerator\(\{ validationSplit \}\)/);
  assert.throws(() => flowImagesFromDirectory(dir, gen, { subset: 'test' as 'training' }), /invalid subset "test"/);
  assert.throws(() => flowImagesFromDirectory(dir, gen, { classMode: 'multi' as 'binary' }), /invalid classMode "multi"/);
  assert.throws(() => flowImagesFromDirectory(dir, gen, { colorMode: 'cmyk' as 'rgb' }), /colorMode must be one of 'rgb', 'grayscale', 'rgba', got "cmyk"/);
});

test('the decode cache serves later passes without touching the files', async (t) => {
  captureConsole(t);
  const dir = tempDir(t);
  await tree(dir, 3, 3);
  const it = flowImagesFromDirectory(dir, imageDataGenerator(), { targetSize: [3, 4], batchSize: 4, shuffle: false });
  await it.next();
  await it.next();
  assert.equal(it.cacheStats.images, 6);
  assert.equal(it.cacheStats.bytes, 6 * 3 * 4 * 3);
  rmSync(join(dir, 'a'), { recursive: true });
  const [x] = await it.next();
  assert.deepEqual(firstPixels(x), [0, 10, 20, 100]);
  const small = flowImagesFromDirectory(dir, imageDataGenerator(), { targetSize: [3, 4], cacheBytes: 40, batchSize: 3 });
  await small.next();
  assert.equal(small.cacheStats.images, 1, 'budget of 40 bytes holds one 36-byte image');
});

test('the next batch is decoded while the current one is in use', async (t) => {
  captureConsole(t);
  const dir = tempDir(t);
  await tree(dir, 4, 4);
  const it = flowImagesFromDirectory(dir, imageDataGenerator(), { targetSize: [3, 4], batchSize: 3, shuffle: false });
  await it.next();
  assert.equal(it.cacheStats.images, 3);
  // No further call: batch 2 fills the cache on its own (bounded wait, no fixed sleep).
  for (let waited = 0; it.cacheStats.images < 6 && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  assert.equal(it.cacheStats.images, 6);
});
