// The thread pool's failure path, which no JS-level test can reach on purpose: a task throwing
// std::bad_alloc on a worker thread is rethrown on the calling thread (so binding.cc can turn it
// into a RangeError) instead of terminating the process, and the pool keeps working.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO } from '../helpers/paths.js';
import { needs } from './cross.js';

const skip = needs({ 'g++': 'g++' });

test('a task that throws on a worker thread reaches the caller; the pool runs the next jobs', { skip, timeout: 120_000 }, () => {
  const out = join(REPO, 'build', 'cross', 'pool-failure');
  mkdirSync(join(REPO, 'build', 'cross'), { recursive: true });
  const sources = ['test/native/pool-failure.cc', 'native/threadpool.cc', 'native/platform/posix.cc'].map((f) => join(REPO, f));
  const cc = spawnSync('g++', ['-std=c++20', '-O1', '-pthread', ...sources, '-o', out], { encoding: 'utf8' });
  assert.equal(cc.status, 0, cc.stderr);
  const run = spawnSync(out, [], { encoding: 'utf8', env: { ...process.env, DEEPTYPE_NUM_THREADS: '4' }, timeout: 60_000 });
  assert.equal(run.status, 0, `exit ${run.status} (signal ${run.signal}): ${run.stderr}`);
  assert.equal(run.stdout.trim(), 'threads=4 caught_on_worker=1 bytes=123456789 pool_intact=1');
});
