import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { arrayReshape } from '../../src/data/array-reshape.js';
import { imageLoad, imageToArray } from '../../src/data/image-load.js';
import { saveImage } from '../../src/data/image-save.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { DATA_DIR, needsData, tempDir, writeImage } from './fixtures.js';

test('imageLoad + imageToArray on a real cat: [150, 150, 3] float32 in 0..255', { skip: needsData }, async () => {
  const path = join(DATA_DIR, 'train/cats/cat.1.jpg');
  const full = await imageLoad(path);
  const x = imageToArray(await imageLoad(path, { targetSize: [150, 150] }));
  assert.deepEqual(x.shape, [150, 150, 3]);
  assert.equal(x.dtype, 'float32');
  assert.ok(x.f32.every((v) => v >= 0 && v <= 255 && Number.isInteger(v)));
  // Nearest: output pixel (0, 0) is source pixel (trunc(step/2), trunc(step/2)).
  const rowStep = full.height / 150;
  const colStep = full.width / 150;
  const src = (Math.trunc(rowStep / 2) * full.width + Math.trunc(colStep / 2)) * 3;
  assert.deepEqual(Array.from(x.data.slice(0, 3)), Array.from(full.data.slice(src, src + 3)));
  const grey = await imageLoad(path, { targetSize: [150, 150], colorMode: 'grayscale' });
  assert.equal(grey.channels, 1);
});

test('colour modes: CMYK, 16-bit, grey and alpha inputs are converted as Pillow converts', async (t) => {
  const dir = tempDir(t);
  const base = sharp({ create: { width: 4, height: 3, channels: 3, background: { r: 200, g: 100, b: 50 } } });
  await base.clone().toColourspace('cmyk').jpeg().toFile(join(dir, 'cmyk.jpg'));
  await base.clone().toColourspace('rgb16').png().toFile(join(dir, 'rgb16.png'));
  await base.clone().grayscale().png().toFile(join(dir, 'grey.png'));
  await writeImage(join(dir, 'alpha.png'), 4, 3, { r: 200, g: 100, b: 50, alpha: 0.5 });
  const luma = (200 * 19595 + 100 * 38470 + 50 * 7471 + 0x8000) >> 16; // Pillow's L = 124
  const px = async (file: string, colorMode: 'rgb' | 'grayscale' | 'rgba'): Promise<number[]> => {
    const img = await imageLoad(join(dir, file), { colorMode });
    return Array.from(img.data.slice(0, img.channels));
  };
  assert.deepEqual(await px('rgb16.png', 'rgb'), [200, 100, 50]);
  assert.deepEqual(await px('rgb16.png', 'grayscale'), [luma]);
  assert.deepEqual(await px('alpha.png', 'rgb'), [200, 100, 50], 'alpha dropped, not composited');
  assert.deepEqual(await px('alpha.png', 'rgba'), [200, 100, 50, 128]);
  assert.deepEqual(await px('rgb16.png', 'rgba'), [200, 100, 50, 255]);
  const g = (await px('grey.png', 'rgb'));
  assert.ok(g[0] === g[1] && g[1] === g[2], 'grey replicated');
  assert.deepEqual(await px('grey.png', 'grayscale'), [g[0]]);
  const cmyk = await px('cmyk.jpg', 'rgb');
  assert.ok(cmyk.every((v, i) => Math.abs(v - [200, 100, 50][i]!) < 20), `CMYK → RGB close to the original, got ${cmyk}`);
});

test('BMP and PPM (in Keras’s extension list, not in libvips) decode', async (t) => {
  const dir = tempDir(t);
  // 2×1 24-bit bottom-up BMP: red, green; rows padded to 4 bytes.
  const bmp = Buffer.alloc(54 + 8);
  bmp.write('BM', 0, 'latin1');
  bmp.writeUInt32LE(bmp.length, 2);
  bmp.writeUInt32LE(54, 10);
  bmp.writeUInt32LE(40, 14);
  bmp.writeInt32LE(2, 18);
  bmp.writeInt32LE(1, 22);
  bmp.writeUInt16LE(1, 26);
  bmp.writeUInt16LE(24, 28);
  Buffer.from([0, 0, 255, 0, 255, 0]).copy(bmp, 54);
  writeFileSync(join(dir, 'a.bmp'), bmp);
  writeFileSync(join(dir, 'b.ppm'), Buffer.concat([Buffer.from('P6\n# comment\n2 1\n255\n'), Buffer.from([1, 2, 3, 4, 5, 6])]));
  writeFileSync(join(dir, 'c.ppm'), 'P3 2 1 15 15 0 0 0 15 0');
  assert.deepEqual(Array.from((await imageLoad(join(dir, 'a.bmp'))).data), [255, 0, 0, 0, 255, 0]);
  assert.deepEqual(Array.from((await imageLoad(join(dir, 'b.ppm'))).data), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from((await imageLoad(join(dir, 'c.ppm'))).data), [255, 0, 0, 0, 255, 0]);
  assert.deepEqual(Array.from((await imageLoad(join(dir, 'b.ppm'), { colorMode: 'grayscale' })).data), [2, 5]);
});

test('imageLoad errors name the file', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'x.jpg'), 'not an image');
  await assert.rejects(imageLoad(join(dir, 'x.jpg')), /imageLoad: '.*x\.jpg' is not a readable image/);
  await assert.rejects(imageLoad(join(dir, 'gone.jpg')), /imageLoad: '.*gone\.jpg' does not exist/);
  await assert.rejects(imageLoad(join(dir, 'x.jpg'), { targetSize: [0, 2] }), /imageLoad: targetSize must be \[height, width\] with positive integers, got \[0,2\]/);
});

test('saveImage writes PNG (lossless, atomically) and JPEG; Keras scaling of 0..1 arrays', async (t) => {
  const dir = tempDir(t);
  const x = new Tensor(Float32Array.from([0, 0.5, 1, 0.25, 0.75, 1]), [1, 2, 3]);
  await saveImage(x, join(dir, 'a.png'));
  const back = await imageLoad(join(dir, 'a.png'));
  assert.deepEqual(Array.from(back.data), [0, 127, 255, 63, 191, 255]);
  await saveImage(new Tensor(Float32Array.from([10, 20, 30, 40]), [2, 2, 1]), join(dir, 'b.jpg'), { scale: false });
  assert.equal((await sharp(join(dir, 'b.jpg')).metadata()).format, 'jpeg');
  assert.deepEqual(readdirSync(dir).sort(), ['a.png', 'b.jpg'], 'no temporary files left behind');
  await assert.rejects(saveImage(x, join(dir, 'c.gif')), /saveImage: cannot tell the format of '.*c\.gif'/);
  await assert.rejects(saveImage(x, join(dir, 'missing/d.png')), /d\.png: cannot write, the folder .*missing does not exist/);
  assert.equal(existsSync(join(dir, 'missing')), false);
});

test('arrayReshape is row-major and infers one -1', () => {
  const x = new Tensor(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
  const y = arrayReshape(x, [3, -1]);
  assert.deepEqual(y.shape, [3, 2]);
  assert.deepEqual(y.toArray(), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(arrayReshape(x, [1, 2, 3, 1]).shape, [1, 2, 3, 1]);
  assert.throws(() => arrayReshape(x, [4, -1]), /arrayReshape: cannot reshape \[2, 3\] \(6 values\) into \[4, -1\]/);
  assert.throws(() => arrayReshape(x, [-1, -1]), /at most one -1/);
});
