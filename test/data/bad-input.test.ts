import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { flowImagesFromDirectory } from '../../src/data/directory-iterator.js';
import { imageDataGenerator } from '../../src/data/image-data-generator.js';
import { imageLoad } from '../../src/data/image-load.js';
import { captureConsole, tempDir, writeImage } from './fixtures.js';

const opts = { targetSize: [8, 8] as [number, number], shuffle: false, classMode: 'sparse' as const };

/** One class folder with good images around a set of bad ones that pass the extension filter. */
async function badTree(dir: string): Promise<void> {
  const cls = join(dir, 'things');
  mkdirSync(cls);
  await writeImage(join(cls, 'a_good.png'), 10, 10);
  const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 9, g: 9, b: 9 } } }).jpeg().toBuffer();
  const corrupt = Buffer.from(jpeg);
  for (let i = 100; i < 200; i++) corrupt[i] = 0xff - corrupt[i]!;
  writeFileSync(join(cls, 'b_corrupt.jpg'), corrupt);
  writeFileSync(join(cls, 'c_truncated.jpg'), jpeg.subarray(0, jpeg.length >> 1));
  writeFileSync(join(cls, 'd_empty.jpg'), Buffer.alloc(0));
  writeFileSync(join(cls, 'e_text.png'), 'this is not a picture');
  await sharp({ create: { width: 40, height: 40, channels: 3, background: { r: 1, g: 2, b: 3 } } }).png().toFile(join(cls, 'f_huge.png'));
  await writeImage(join(cls, 'g_good.jpg'), 10, 10);
}

test('unreadable files are skipped with one warning each; the batch comes out short', async (t) => {
  const { warnings } = captureConsole(t);
  const dir = tempDir(t);
  await badTree(dir);
  const it = flowImagesFromDirectory(dir, imageDataGenerator(), { ...opts, batchSize: 7, maxPixels: 1000 });
  assert.equal(it.samples, 7, 'listed up front by extension, as Keras does');
  const [x, y] = await it.next();
  assert.deepEqual(x.shape, [2, 8, 8, 3]);
  assert.deepEqual(Array.from(y!.data), [0, 0]);
  assert.equal(warnings.length, 5);
  // libvips keeps one error buffer for all its threads, so with decodes running in parallel the
  // truncated JPEG's detail is sometimes "Premature end of JPEG file", sometimes another message.
  for (const [name, why] of [['b_corrupt.jpg', /not a readable image/], ['c_truncated.jpg', /not a readable image/], ['d_empty.jpg', /is empty/],
    ['e_text.png', /not a readable image/], ['f_huge.png', /40×40 = 1600 pixels, over the limit of 1000/]] as const) {
    const w = warnings.find((m) => m.includes(name));
    assert.ok(w, `a warning names ${name}`);
    assert.match(w, why);
  }
  const [x2] = await it.next();
  assert.equal(x2.shape[0], 2, 'next pass: the same two good images');
  assert.equal(warnings.length, 5, 'no repeated warnings, no second attempt');
  assert.deepEqual([...it.badImages].sort(), [1, 2, 3, 4, 5]);
});

test("onBadImage 'error' rejects next() with the file named", async (t) => {
  captureConsole(t);
  const dir = tempDir(t);
  await badTree(dir);
  const it = flowImagesFromDirectory(dir, imageDataGenerator(), { ...opts, batchSize: 2, onBadImage: 'error' });
  await assert.rejects(it.next(), /flowImagesFromDirectory: '.*b_corrupt\.jpg' is not a readable image/);
  assert.throws(() => flowImagesFromDirectory(dir, imageDataGenerator(), { ...opts, onBadImage: 'ignore' as 'skip' }), /onBadImage must be 'skip' or 'error'/);
});

test('a file deleted between listing and reading is skipped and named; an all-bad batch is replaced', async (t) => {
  const { warnings } = captureConsole(t);
  const dir = tempDir(t);
  mkdirSync(join(dir, 'c'));
  for (const name of ['1.png', '2.png', '3.png']) await writeImage(join(dir, 'c', name), 5, 5);
  const it = flowImagesFromDirectory(dir, imageDataGenerator(), { ...opts, batchSize: 2 });
  rmSync(join(dir, 'c', '1.png'));
  rmSync(join(dir, 'c', '2.png'));
  const [x] = await it.next();
  assert.equal(x.shape[0], 1, 'batch [1, 2] was all gone: the next batch [3] is served');
  assert.equal(warnings.filter((w) => /does not exist \(it was listed but is gone\)/.test(w)).length, 2);
  const fresh = flowImagesFromDirectory(dir, imageDataGenerator(), { ...opts, batchSize: 2 });
  rmSync(join(dir, 'c', '3.png'));
  await assert.rejects(fresh.next(), /none of the 1 images in '.*' could be read/);
});

test('CMYK, grayscale, 16-bit and alpha files become the requested colorMode', async (t) => {
  captureConsole(t);
  const dir = tempDir(t);
  mkdirSync(join(dir, 'mixed'));
  const base = sharp({ create: { width: 6, height: 6, channels: 3, background: { r: 200, g: 100, b: 50 } } });
  await base.clone().toColourspace('cmyk').jpeg().toFile(join(dir, 'mixed', '1cmyk.jpg'));
  await base.clone().grayscale().png().toFile(join(dir, 'mixed', '2grey.png'));
  await base.clone().toColourspace('rgb16').png().toFile(join(dir, 'mixed', '3deep.png'));
  await writeImage(join(dir, 'mixed', '4alpha.png'), 6, 6, { r: 200, g: 100, b: 50, alpha: 0.5 });
  await base.clone().tiff().toFile(join(dir, 'mixed', '5.tif'));
  for (const [colorMode, c] of [['rgb', 3], ['grayscale', 1], ['rgba', 4]] as const) {
    const it = flowImagesFromDirectory(dir, imageDataGenerator(), { ...opts, colorMode, batchSize: 5, targetSize: [4, 4] });
    const [x] = await it.next();
    assert.deepEqual(x.shape, [5, 4, 4, c], colorMode);
    assert.equal(it.badImages.size, 0);
  }
});

test('empty or class-less directories fail with the path and what was looked for', async (t) => {
  captureConsole(t);
  const dir = tempDir(t);
  assert.throws(() => flowImagesFromDirectory(join(dir, 'nope'), imageDataGenerator()), /cannot list directory '.*nope': ENOENT/);
  assert.throws(() => flowImagesFromDirectory(dir, imageDataGenerator()), /'.*' has no class subfolders; expected one folder per class/);
  writeFileSync(join(dir, 'loose.jpg'), 'x');
  assert.throws(() => flowImagesFromDirectory(dir, imageDataGenerator()), /no class subfolders/, 'files directly inside are ignored');
  mkdirSync(join(dir, 'cats'));
  writeFileSync(join(dir, 'cats', 'notes.txt'), 'x');
  writeFileSync(join(dir, 'cats', 'anim.gif'), 'x');
  assert.throws(() => flowImagesFromDirectory(dir, imageDataGenerator()),
    /found no images in the 1 class folder\(s\) of '.*' \(cats\); looked for files ending in \.png, \.jpg, \.jpeg, \.bmp, \.ppm, \.tif, \.tiff/);
  assert.throws(() => flowImagesFromDirectory(dir, imageDataGenerator(), { classes: ['dogs'] }), /class folder '.*dogs' \(from classes\) does not exist/);
});

test('hidden entries are skipped and named, as tf.keras skips hidden class folders; subfolders are walked; links only with followLinks', async (t) => {
  const { warnings } = captureConsole(t);
  const dir = tempDir(t);
  for (const sub of ['.ipynb_checkpoints', 'cats', 'cats/sub', 'cats/.ipynb_checkpoints', 'dogs']) mkdirSync(join(dir, sub));
  for (const f of ['.ipynb_checkpoints/x.png', 'cats/b.png', 'cats/sub/a.png', 'cats/A.PNG', 'cats/.ipynb_checkpoints/b.png', 'cats/._b.png',
    'dogs/d.jpeg']) await writeImage(join(dir, f), 3, 3);
  writeFileSync(join(dir, 'cats', '.DS_Store'), 'x');
  const outside = join(dir, '..', `${dir.split('/').pop()}-linked`);
  mkdirSync(outside);
  t.after(() => rmSync(outside, { recursive: true, force: true }));
  await writeImage(join(outside, 'z.png'), 3, 3);
  symlinkSync(outside, join(dir, 'dogs', 'more'));
  const it = flowImagesFromDirectory(dir, imageDataGenerator(), opts);
  assert.deepEqual(it.classIndices, { cats: 0, dogs: 1 }, 'labels are not shifted by the hidden folder');
  assert.deepEqual(it.filenames, ['cats/A.PNG', 'cats/b.png', 'cats/sub/a.png', 'dogs/d.jpeg']);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /skipped 3 entries of '.*': '\.ipynb_checkpoints' \(a hidden folder\), 'cats\/\._b\.png' \(a hidden file\), 'cats\/\.ipynb_checkpoints' \(a hidden folder\)$/);
  const linked = flowImagesFromDirectory(dir, imageDataGenerator(), { ...opts, followLinks: true });
  assert.deepEqual(linked.filenames.slice(-2), ['dogs/d.jpeg', 'dogs/more/z.png']);
  assert.ok(readFileSync(join(dir, 'dogs', 'more', 'z.png')).length > 0);
});

test('a named pipe, a socket-like or a linked non-file with an image name is skipped and named, never opened', { timeout: 20_000 }, async (t) => {
  const { warnings } = captureConsole(t);
  const dir = tempDir(t);
  mkdirSync(join(dir, 'cats'));
  mkdirSync(join(dir, 'dogs'));
  await writeImage(join(dir, 'cats', 'a.png'), 4, 4);
  await writeImage(join(dir, 'dogs', 'b.png'), 4, 4);
  execFileSync('mkfifo', [join(dir, 'cats', 'pipe.jpg')]);
  symlinkSync(join(dir, 'cats', 'pipe.jpg'), join(dir, 'dogs', 'link.jpg'));
  mkdirSync(join(dir, 'dogs', 'folder.png'));
  const it = flowImagesFromDirectory(dir, imageDataGenerator(), { ...opts, batchSize: 4 });
  assert.deepEqual(it.filenames, ['cats/a.png', 'dogs/b.png']);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /skipped 2 entries of '.*': 'cats\/pipe\.jpg' \(a named pipe \(FIFO\), not a regular file\), 'dogs\/link\.jpg' \(a named pipe \(FIFO\), not a regular file\)$/);
  const [x] = await it.next();
  assert.equal(x.shape[0], 2, 'training reads on instead of blocking on the pipe');
  await assert.rejects(imageLoad(join(dir, 'cats', 'pipe.jpg')), /imageLoad: '.*pipe\.jpg' is a named pipe \(FIFO\), not an image file/);
  await assert.rejects(imageLoad(join(dir, 'dogs')), /imageLoad: '.*dogs' is a folder, not an image file/);
});

test('a class folder without images is named in a warning; its index is kept, as in Keras', async (t) => {
  const { warnings } = captureConsole(t);
  const dir = tempDir(t);
  for (const sub of ['cats', 'dogs', 'zebras']) mkdirSync(join(dir, sub));
  await writeImage(join(dir, 'cats', 'a.png'), 4, 4);
  writeFileSync(join(dir, 'dogs', 'notes.txt'), 'no pictures here');
  await writeImage(join(dir, 'zebras', 'z.png'), 4, 4);
  const it = flowImagesFromDirectory(dir, imageDataGenerator(), opts);
  assert.deepEqual(it.classIndices, { cats: 0, dogs: 1, zebras: 2 });
  assert.deepEqual(Array.from(it.classes), [0, 2]);
  assert.deepEqual(warnings, [`flowImagesFromDirectory: class folder 'dogs' of '${dir}' has no images; its class index stays, but no sample has it`]);
});
