import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { test } from 'node:test';
import sharp from 'sharp';
import { flowImagesFromDirectory } from '../../src/data/directory-iterator.js';
import { imageDataGenerator } from '../../src/data/image-data-generator.js';
import { imageLoad } from '../../src/data/image-load.js';
import { fileDigests } from '../helpers/files.js';
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

/** A two-class folder of one small PNG each, for the argument checks below. */
async function twoClasses(dir: string): Promise<void> {
  for (const c of ['cats', 'dogs']) {
    mkdirSync(join(dir, c));
    await writeImage(join(dir, c, `${c}.png`), 4, 4);
  }
}

const badOptions: [string, Record<string, unknown>, RegExp][] = [
  ['targetSize [0, 8]', { targetSize: [0, 8] }, /flowImagesFromDirectory: targetSize must be \[height, width\] with positive integers, got \[0,8\]/],
  ['targetSize 150', { targetSize: 150 }, /targetSize must be \[height, width\] with positive integers, got 150/],
  ['colorMode cmyk', { colorMode: 'cmyk' }, /flowImagesFromDirectory: colorMode must be one of 'rgb', 'grayscale', 'rgba', got "cmyk"/],
  ['classMode multi', { classMode: 'multi' }, /flowImagesFromDirectory: invalid classMode "multi"; expected 'categorical', 'binary'/],
  ['interpolation cubic', { interpolation: 'cubic' }, /flowImagesFromDirectory: invalid interpolation "cubic"; supported methods are nearest/],
  ['batchSize 0', { batchSize: 0 }, /batchSize must be a positive integer, got 0/],
  ['subset test', { subset: 'test' }, /flowImagesFromDirectory: invalid subset "test"; expected 'training' or 'validation'/],
  ['subset without validationSplit', { subset: 'training' }, /subset 'training' needs a generator made with imageDataGenerator\(\{ validationSplit \}\)/],
  ['maxPixels 0', { maxPixels: 0 }, /flowImagesFromDirectory: maxPixels must be a positive integer, got 0/],
  ['cacheBytes -1', { cacheBytes: -1 }, /cacheBytes must be a number >= 0, got -1/],
];
for (const [name, options, message] of badOptions) {
  test(`flowImagesFromDirectory refuses ${name}, naming the option; the folder is untouched`, async (t) => {
    captureConsole(t);
    const dir = tempDir(t);
    await twoClasses(dir);
    const before = fileDigests(dir);
    assert.throws(() => flowImagesFromDirectory(dir, imageDataGenerator(), options as object), message);
    assert.deepEqual(fileDigests(dir), before);
  });
}

/** A PNG chunk: length, type, data, CRC. */
function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/** A PNG whose header claims `width`×`height` RGB pixels, with a few bytes of pixel data and an end. */
function pngClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(16))), pngChunk('IEND', Buffer.alloc(0))]);
}

test('image files whose headers lie are refused, each named with its reason', async (t) => {
  const dir = tempDir(t);
  const good = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 1, g: 2, b: 3 } } }).jpeg().toBuffer();
  const files: [string, Buffer, RegExp][] = [
    // A 70-byte PNG claiming 30000×30000 pixels: refused from its header, before any decoding.
    ['bomb.png', pngClaiming(30_000, 30_000), /'.*bomb\.png' has 30000×30000 = 900000000 pixels, over the limit of 89478485/],
    ['short-data.png', pngClaiming(64, 64), /'.*short-data\.png' is not a readable image/],
    ['soi-only.jpg', good.subarray(0, 2), /'.*soi-only\.jpg' is not a readable image/],
    ['flipped.jpg', Buffer.from(good.map((b, i) => (i > 20 && i < 200 ? b ^ 0x5a : b))), /'.*flipped\.jpg' is not a readable image/],
    ['header.bmp', Buffer.from('BM not really a bitmap'), /'.*header\.bmp'/],
  ];
  for (const [name, bytes, message] of files) {
    writeFileSync(join(dir, name), bytes);
    await assert.rejects(imageLoad(join(dir, name)), message, name);
  }
  symlinkSync(join(dir, 'nowhere.png'), join(dir, 'dangling.png'));
  await assert.rejects(imageLoad(join(dir, 'dangling.png')), /imageLoad: '.*dangling\.png' does not exist/);
  assert.deepEqual(readdirSync(dir).sort(), ['bomb.png', 'dangling.png', 'flipped.jpg', 'header.bmp', 'short-data.png', 'soi-only.jpg']);
});

test('a symlink loop under followLinks is walked once, not forever', async (t) => {
  captureConsole(t);
  const dir = tempDir(t);
  await twoClasses(dir);
  symlinkSync(join(dir, 'cats'), join(dir, 'cats', 'again'));
  const it = flowImagesFromDirectory(dir, imageDataGenerator(), { ...opts, followLinks: true });
  assert.deepEqual(it.filenames, ['cats/cats.png', 'dogs/dogs.png']);
});
