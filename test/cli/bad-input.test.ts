import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { loadModel } from '../../src/io/load-model.js';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import { firstNonFiniteWeight } from '../../src/models/non-finite.js';
import { fileDigests } from '../helpers/files.js';
import { needsSmallFs, runOnSmallFs } from '../helpers/small-fs.js';
import { errorLines, REPO, runCli, tempDir, tinyDataset } from './helpers.js';

/** Bad input ends with status 2 and exactly one line on stderr, with no stack trace, and changes no file under `dir`. */
function assertOneLineError(args: string[], pattern: RegExp, dir?: string): void {
  const before = dir ? fileDigests(dir) : null;
  const r = runCli(args);
  assert.equal(r.status, 2, `deeptype ${args.join(' ')}: status ${r.status}, stderr ${r.stderr}`);
  const lines = errorLines(r);
  assert.equal(lines.length, 1, `expected one line, got:\n${r.stderr}`);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /^\s+at /m);
  if (dir) assert.deepEqual(fileDigests(dir), before, 'no file was lost or changed');
}

describe('bad input: one line on stderr, exit status 2', () => {
  const dir = tempDir({ after });
  const notModel = join(dir, 'notes.h5');
  const notImage = join(dir, 'broken.jpg');
  const data = join(dir, 'data');
  const model = join(dir, 'model', 'model.h5');
  const images = join(dir, 'images');
  before(async () => {
    writeFileSync(notModel, 'this is not HDF5\n');
    writeFileSync(notImage, 'not a JPEG either');
    await tinyDataset(data, 1);
    mkdirSync(join(dir, 'model'));
    // A binary classifier of 8×8 RGB images, saved without run.json (1/255 rescaling assumed).
    await sequential([layers.flatten({ inputShape: [8, 8, 3] }), layers.dense({ units: 1, activation: 'sigmoid' })]).save(model);
    mkdirSync(images);
    await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 10, b: 10 } } }).png().toFile(join(images, 'a.png'));
    writeFileSync(join(images, 'b.png'), 'not a PNG');
  });

  test('an unknown flag', () => assertOneLineError(['train', '--no-such-flag'], /unknown option '--no-such-flag'/));
  test('a flag with a bad value', () => assertOneLineError(['train', '--epochs', 'zero'], /--epochs.*positive integer/));
  test('a batch size of 0', () => assertOneLineError(['evaluate', model, data, '--batch-size', '0'], /--batch-size.*positive integer/));
  test('an image size too small for the lecture convnet', () => assertOneLineError(['train', '--image-size', '32'], /at least 62/));
  test('an unknown command', () => assertOneLineError(['fly'], /unknown command 'fly'/));
  test('a missing data folder', () => assertOneLineError(['train', join(dir, 'nowhere')], /data folder not found: .*nowhere/));
  test('a data folder without train/', () => assertOneLineError(['train', join(data, 'test')], /training folder .*not found/));
  test('a missing model file', () => assertOneLineError(['summary', join(dir, 'missing.h5')], /model file not found/));
  test('a file that is not a model: summary', () => assertOneLineError(['summary', notModel], /notes\.h5.*not an HDF5 file/));
  test('a file that is not a model: train --model', () => assertOneLineError(['train', data, '--model', notModel], /not an HDF5 file/, data));
  test('an unknown model kind', () => assertOneLineError(['train', data, '--model', 'resnet50'],
    /^deeptype: unknown model kind 'resnet50'; expected lecture, lecture-dropout, squeezenet-features, squeezenet-finetune, or a saved model file \(\.h5\)/, data));
  test('a missing model file for train --model', () => assertOneLineError(['train', data, '--model', join(dir, 'gone.h5')], /model file not found: .*gone\.h5$/));
  test('an image that does not decode: augment-preview', () =>
    assertOneLineError(['augment-preview', notImage, '--out', join(dir, 'grid.png')], /broken\.jpg.*not a readable image/));
  test('a missing image: predict', () => assertOneLineError(['predict', notModel, join(dir, 'missing.jpg')], /image or folder not found/));
  test('predict with only unreadable images names the file', () => assertOneLineError(['predict', model, join(images, 'b.png')],
    /^deeptype: '.*b\.png' is not a readable image/, images));

  test('an --out folder that holds another run is refused, untouched, unless --force', () => {
    const run = join(dir, 'old-run');
    mkdirSync(run);
    writeFileSync(join(run, 'model.h5'), 'the previous model');
    assertOneLineError(['train', data, '--out', run], /^deeptype: run folder .*old-run already exists and holds files \(model\.h5…\); choose another --out, or pass --force/, run);
  });

  test('a training folder with an empty class or a single class is refused before training', () => {
    const odd = join(dir, 'odd');
    cpSync(data, odd, { recursive: true });
    rmSync(join(odd, 'train', 'dogs'), { recursive: true });
    mkdirSync(join(odd, 'train', 'dogs'));
    assertOneLineError(['train', odd], /train: class folder 'dogs' has no images; a classifier needs images of every class$/, odd);
    rmSync(join(odd, 'train', 'dogs'), { recursive: true });
    assertOneLineError(['train', odd], /train: expected at least 2 class folders, found 1 \(cats\)$/, odd);
  });

  test('an unrelated --weights file for SqueezeNet is an error, not a randomly initialised "pretrained" base', () =>
    assertOneLineError(['train', data, '--model', 'squeezenet-features', '--weights', model, '--image-size', '64', '--out', join(dir, 'sq')],
      /model\.h5: no layer of the model matches a layer of the file by name, so nothing was loaded \(file: dense_\d+; model: conv1, fire2\/squeeze1x1, /));

  test('a run.json with an unknown preprocessing names the file and the value', () => {
    const folder = join(dir, 'tf-run');
    mkdirSync(folder);
    cpSync(model, join(folder, 'model.h5'));
    writeFileSync(join(folder, 'run.json'), JSON.stringify({ preprocessing: 'tf', classIndices: { cats: 0, dogs: 1 } }));
    assertOneLineError(['predict', join(folder, 'model.h5'), join(images, 'a.png')],
      /run\.json: unknown preprocessing "tf"; expected 'rescale' or 'caffe'$/, folder);
  });

  test('augment-preview --out a folder, or a name of another format, is refused naming it', () => {
    const image = join(images, 'a.png');
    assertOneLineError(['augment-preview', image, '--out', images], /^deeptype: --out .*images: expected a file name ending in \.png, \.jpg or \.jpeg$/, images);
    assertOneLineError(['augment-preview', image, '--out', join(dir, 'grid.gif')], /--out .*grid\.gif: expected a file name ending in \.png, \.jpg or \.jpeg$/);
    mkdirSync(join(dir, 'folder.png'));
    assertOneLineError(['augment-preview', image, '--out', join(dir, 'folder.png')], /folder\.png: cannot write, it is a folder; expected a file name$/);
  });

  test('a learning rate that makes the loss NaN stops the run; model.h5 keeps the last epoch with finite weights', async () => {
    const run = join(dir, 'diverged');
    const r = runCli(['train', data, '--epochs', '3', '--batch-size', '2', '--image-size', '62', '--lr', '1e30', '--out', run]);
    assert.equal(r.status, 2);
    assert.match(r.stdout, /Invalid loss, terminating training\n.* - loss: nan/);
    assert.match(errorLines(r).pop()!, /^deeptype: training diverged: weight '.*' holds NaN or infinite values, so the model was not saved over .*model\.h5/);
    assert.doesNotMatch(r.stderr, /modelCheckpoint|callbacks\./, 'the CLI speaks of its own options, not of the API');
    const history = JSON.parse(readFileSync(join(run, 'history.json'), 'utf8')).history;
    assert.equal(history.loss.length, history.val_loss.length, 'one value per epoch in every column, validated or not');
    assert.equal(firstNonFiniteWeight(await loadModel(join(run, 'model.h5'))), null);
  });

  test('--verbose adds the stack trace', () => {
    const r = runCli(['summary', notModel, '--verbose']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^\s+at /m);
  });

  test('a run folder on a read-only file system: one line naming the folder and EROFS', { skip: needsSmallFs }, () => {
    const r = runOnSmallFs(`
      import { spawnSync } from 'node:child_process';
      const r = spawnSync(process.execPath, ['bin/deeptype.mjs', 'train', ${JSON.stringify(data)}, '--out', process.env.DIR + '/runs/one'], { encoding: 'utf8' });
      console.log(JSON.stringify({ status: r.status, stderr: r.stderr }));`, { readOnly: true });
    const out = JSON.parse(r.stdout);
    assert.equal(out.status, 2);
    assert.match(out.stderr, /^deeptype: \/.*\/runs\/one: cannot create the folder: read-only file system \(EROFS\)\n$/);
  });
});

describe('predict and augment-preview on awkward files', () => {
  const dir = tempDir({ after });
  const model = join(dir, 'model.h5');
  before(async () => {
    await sequential([layers.flatten({ inputShape: [8, 8, 3] }), layers.dense({ units: 1, activation: 'sigmoid' })]).save(model);
    for (const name of ['a.png', 'c.png']) {
      await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 9, g: 90, b: 200 } } }).png().toFile(join(dir, name));
    }
    writeFileSync(join(dir, 'b.png'), 'not a PNG');
    execFileSync('mkfifo', [join(dir, 'pipe.png')]);
  });

  test('unreadable files and pipes are skipped and reported; the rest are predicted, in order', { timeout: 60_000 }, () => {
    const r = runCli(['predict', model, join(dir, 'a.png'), join(dir, 'b.png'), join(dir, 'pipe.png'), join(dir, 'c.png')]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.split('\t')[0]), [join(dir, 'a.png'), join(dir, 'c.png')]);
    assert.match(r.stderr, /skipped '.*b\.png' is not a readable image/);
    assert.match(r.stderr, /skipped '.*pipe\.png' is a named pipe \(FIFO\), not an image file/);
    assert.match(r.stderr, /skipped 2 of 4 images that could not be read\n$/);
  });

  test('a reader that closes the pipe early (| head -1) ends predict quietly', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" bin/deeptype.mjs predict "${model}" "${join(dir, 'a.png')}" "${join(dir, 'c.png')}" | true; exit "\${PIPESTATUS[0]}"`],
      { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '', 'no "Unhandled \'error\' event", no EPIPE stack');
  });

  test('augment-preview writes the format its --out name says', async () => {
    const out = join(dir, 'grid.jpg');
    const r = runCli(['augment-preview', join(dir, 'a.png'), '--n', '1', '--image-size', '8', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((await sharp(out).metadata()).format, 'jpeg');
  });

  test('summary shows a model that does not take images', () => {
    const plain = join(dir, 'plain.h5');
    const r0 = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
      import { layers } from './src/layers/index.ts';
      import { sequential } from './src/models/factories.ts';
      await sequential([layers.dense({ units: 3, inputShape: [5] })]).save(${JSON.stringify(plain)});`], { cwd: REPO, encoding: 'utf8' });
    assert.equal(r0.status, 0, r0.stderr);
    const r = runCli(['summary', plain]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Total params: 18/);
  });
});

describe('evaluation when a whole batch of images is unreadable', () => {
  const dir = tempDir({ after });
  const model = join(dir, 'model.h5');
  const folder = join(dir, 'test');
  before(async () => {
    await sequential([layers.flatten({ inputShape: [8, 8, 3] }), layers.dense({ units: 1, activation: 'sigmoid' })]).save(model);
    for (const c of ['cats', 'dogs']) mkdirSync(join(folder, c), { recursive: true });
    // Batches of 2 in file order: [cats/a, cats/b] is unreadable, then [cats/c, dogs/d].
    writeFileSync(join(folder, 'cats', 'a.jpg'), 'broken');
    writeFileSync(join(folder, 'cats', 'b.jpg'), '');
    for (const f of ['cats/c.png', 'dogs/d.png']) {
      await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 50, g: 50, b: 50 } } }).png().toFile(join(folder, f));
    }
  });

  test('the counts, the confusion matrix and the pairing of files hold only the readable images', () => {
    const r = runCli(['evaluate', model, folder, '--batch-size', '2', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.equal(out.samples, 2);
    assert.equal(out.confusion.flat().reduce((a: number, b: number) => a + b, 0), 2);
    assert.equal(out.confusion[0][0] + out.confusion[0][1], 1, 'one cat');
    assert.equal(out.confusion[1][0] + out.confusion[1][1], 1, 'one dog');
    assert.match(r.stderr, /skipping unreadable image '.*a\.jpg'/);
    assert.deepEqual(readdirSync(join(folder, 'cats')).sort(), ['a.jpg', 'b.jpg', 'c.png']);
  });
});

describe('training whose validation folder names its classes differently and starts with an unreadable batch', () => {
  const dir = tempDir({ after });
  const data = join(dir, 'data');
  const run = join(dir, 'run');
  let result: ReturnType<typeof runCli>;
  before(async () => {
    await tinyDataset(data, 2);
    for (const [from, to] of [['cats', 'cat'], ['dogs', 'dog']]) {
      cpSync(join(data, 'validation', from), join(data, 'validation', to), { recursive: true });
      rmSync(join(data, 'validation', from), { recursive: true });
    }
    writeFileSync(join(data, 'validation', 'cat', 'a-broken.jpg'), 'not a JPEG');
    writeFileSync(join(data, 'validation', 'cat', 'b-empty.jpg'), '');
    result = runCli(['train', data, '--epochs', '1', '--batch-size', '2', '--image-size', '62', '--out', run]);
  });

  test('trains, warns about the class names, and reports on the 4 readable validation images', () => {
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /the validation classes \(cat, dog\) differ from the training classes \(cats, dogs\)/);
    assert.match(result.stdout, /Validation accuracy \d+\.\d% on 4 images/);
    assert.ok(readdirSync(run).includes('report.html'));
  });
});
