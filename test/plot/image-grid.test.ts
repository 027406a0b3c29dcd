import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { imageGrid, type GridImage } from '../../src/plot/image-grid.js';

let dir = '';
before(async () => { dir = await mkdtemp(join(tmpdir(), 'deeptype-grid-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

/** A 2×2 image of one colour. */
const solid = (rgb: [number, number, number]): GridImage => ({
  data: Uint8Array.from({ length: 12 }, (_, i) => rgb[i % 3]!), width: 2, height: 2, channels: 3,
});

async function pixels(file: string) {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
  return { info, at };
}

test('images are laid out row by row with white padding between and around them', async () => {
  const file = join(dir, 'grid.png');
  assert.equal(await imageGrid([solid([255, 0, 0]), solid([0, 255, 0]), solid([0, 0, 255])], { file, columns: 2, padding: 1 }), file);
  const { info, at } = await pixels(file);
  // 1 + 2·(2 + 1) = 7 each way: two columns, two rows (the second row half empty).
  assert.deepEqual([info.width, info.height], [7, 7]);
  assert.deepEqual(at(1, 1), [255, 0, 0]);
  assert.deepEqual(at(4, 2), [0, 255, 0]);
  assert.deepEqual(at(2, 4), [0, 0, 255]);
  assert.deepEqual(at(0, 0), [255, 255, 255]);
  assert.deepEqual(at(5, 5), [255, 255, 255], 'the empty cell stays white');
  assert.deepEqual(await readdir(dir), ['grid.png'], 'no temporary file left');
});

test('0..1 float images take scale 255; grey images and smaller images are centred', async () => {
  const file = join(dir, 'float.png');
  const grey: GridImage = { data: new Float32Array([0.5]), width: 1, height: 1, channels: 1 };
  const big: GridImage = { data: new Float32Array(27).fill(1), width: 3, height: 3, channels: 3 };
  await imageGrid([big, grey], { file, padding: 0, scale: 255 });
  const { info, at } = await pixels(file);
  assert.deepEqual([info.width, info.height], [6, 3], 'default columns = ceil(√2) = 2');
  assert.deepEqual(at(0, 0), [255, 255, 255]);
  assert.deepEqual(at(4, 1), [128, 128, 128], 'grey pixel in the centre of its 3×3 cell');
});

test('bad input names the image and what it needs', async () => {
  const file = join(dir, 'bad.png');
  await assert.rejects(imageGrid([], { file }), /no images given/);
  const wrong: GridImage = { data: new Uint8Array(5), width: 2, height: 2, channels: 3 };
  await assert.rejects(imageGrid([solid([0, 0, 0]), wrong], { file }), /image 1 needs .* 2×2×3 = 12 values \(HWC\), got 5/);
  await assert.rejects(imageGrid([{ ...wrong, channels: 2 as never }], { file }), /image 0 .* channels 1, 3 or 4/);
  await assert.rejects(imageGrid([solid([0, 0, 0])], { file, columns: 0 }), /columns must be a positive integer/);
});
