import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { errorLines, runCli, tempDir, tinyDataset } from './helpers.js';

/** Bad input ends with status 2 and exactly one line on stderr, with no stack trace. */
function assertOneLineError(args: string[], pattern: RegExp): void {
  const r = runCli(args);
  assert.equal(r.status, 2, `deeptype ${args.join(' ')}: status ${r.status}, stderr ${r.stderr}`);
  const lines = errorLines(r);
  assert.equal(lines.length, 1, `expected one line, got:\n${r.stderr}`);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /^\s+at /m);
}

describe('bad input: one line on stderr, exit status 2', () => {
  const dir = tempDir({ after });
  const notModel = join(dir, 'notes.h5');
  const notImage = join(dir, 'broken.jpg');
  const data = join(dir, 'data');
  before(async () => {
    writeFileSync(notModel, 'this is not HDF5\n');
    writeFileSync(notImage, 'not a JPEG either');
    await tinyDataset(data, 1);
  });

  test('an unknown flag', () => assertOneLineError(['train', '--no-such-flag'], /unknown option '--no-such-flag'/));
  test('a flag with a bad value', () => assertOneLineError(['train', '--epochs', 'zero'], /--epochs.*positive integer/));
  test('an image size too small for the lecture convnet', () => assertOneLineError(['train', '--image-size', '32'], /at least 62/));
  test('an unknown command', () => assertOneLineError(['fly'], /unknown command 'fly'/));
  test('a missing data folder', () => assertOneLineError(['train', join(dir, 'nowhere')], /data folder not found: .*nowhere/));
  test('a data folder without train/', () => assertOneLineError(['train', join(data, 'test')], /training folder .*not found/));
  test('a missing model file', () => assertOneLineError(['summary', join(dir, 'missing.h5')], /model file not found/));
  test('a file that is not a model: summary', () => assertOneLineError(['summary', notModel], /notes\.h5.*not an HDF5 file/));
  test('a file that is not a model: train --model', () => assertOneLineError(['train', data, '--model', notModel], /not an HDF5 file/));
  test('an image that does not decode: augment-preview', () =>
    assertOneLineError(['augment-preview', notImage, '--out', join(dir, 'grid.png')], /broken\.jpg.*not a readable image/));
  test('a missing image: predict', () => assertOneLineError(['predict', notModel, join(dir, 'missing.jpg')], /image or folder not found/));

  test('--verbose adds the stack trace', () => {
    const r = runCli(['summary', notModel, '--verbose']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^\s+at /m);
  });
});
