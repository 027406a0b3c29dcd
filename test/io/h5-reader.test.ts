// Reading HDF5 in a worker: a file that makes HDF5 hang or abort costs one error naming it,
// and the next file reads normally; a process that opens a file stays small.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadModel } from '../../src/io/load-model.js';
import { REPO } from '../helpers/paths.js';
import { fuzzCase } from './fuzz-h5.js';
import { FIXTURES, tempDir } from './helpers.js';

const K22 = join(FIXTURES, 'k22_small_convnet.h5');

test('a file on which HDF5 never finishes is given up after DEEPTYPE_HDF5_TIMEOUT, naming it; the next file loads', async (t) => {
  // Fuzz seed 1432: a damaged string attribute that sends HDF5 into an endless loop.
  const { path } = await fuzzCase(1432, tempDir(t));
  process.env.DEEPTYPE_HDF5_TIMEOUT = '1';
  t.after(() => delete process.env.DEEPTYPE_HDF5_TIMEOUT);
  await assert.rejects(loadModel(path), new RegExp(`^Error: ${path}: HDF5 did not finish reading the file in 1 s; the file is corrupt$`));
  assert.equal((await loadModel(K22)).layers.length, 4);
});

test('a file on which HDF5 aborts is one error naming it; the next file loads', async (t) => {
  // Fuzz seed 144: HDF5 calls abort() while opening it, which used to leave h5wasm dead for every later file.
  const { path } = await fuzzCase(144, tempDir(t));
  await assert.rejects(loadModel(path), new RegExp(`^Error: ${path}: HDF5 failed on the file \\(Aborted\\(native code called abort\\(\\)\\)\\); the file is corrupt$`));
  assert.equal((await loadModel(K22)).layers.length, 4);
});

test('a process that loads a model stays small (it peaked at 0.7 GB when the loader rewrote h5wasm)', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
    import { loadModel } from './src/io/load-model.ts';
    await loadModel(${JSON.stringify(K22)});
    console.log(process.resourceUsage().maxRSS);`], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const mib = Number(r.stdout.trim()) / 1024;
  assert.ok(mib < 300, `peak RSS ${mib.toFixed(0)} MiB`);
});
