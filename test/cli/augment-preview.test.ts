import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { runCli, tempDir, tinyDataset } from './helpers.js';

test('augment-preview writes a grid of n augmented variants', async () => {
  const dir = tempDir({ after });
  await tinyDataset(join(dir, 'data'), 1);
  const out = join(dir, 'grid.png');
  const r = runCli(['augment-preview', join(dir, 'data', 'train', 'cats', 'cat.0.jpg'), '--n', '6', '--image-size', '40', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Wrote 6 augmented variants/);
  // ceil(√6) = 3 columns and 2 rows of 40-px tiles, 4 px apart.
  const meta = await sharp(out).metadata();
  assert.equal(meta.format, 'png');
  assert.deepEqual([meta.width, meta.height], [3 * 40 + 2 * 4, 2 * 40 + 4]);
});

test('augment-preview needs --out', () => {
  const r = runCli(['augment-preview', 'any.jpg']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /required option '--out <file>'/);
});
