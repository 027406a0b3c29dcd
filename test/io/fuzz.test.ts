// The HDF5 loaders under a seeded fuzzer (cases in fuzz-h5.ts, run in a child process by
// test/helpers/fuzz.ts): every mutated Keras file must load or fail with one line naming it,
// without an abort, a hang or a memory blow-up.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fuzzInChild } from '../helpers/fuzz.js';
import { REPO } from '../helpers/paths.js';

/**
 * Seeds that once failed, kept as regression cases: HDF5 aborting inside the wasm module while
 * opening (144, 289) or reading an attribute (53), which left h5wasm dead for every later file;
 * HDF5 looping forever on a damaged string attribute (377, 1432); errors that did not name the
 * file (470, 584: a weights group's layer_names of the wrong type; 718, 1052: layers refusing
 * the config's sizes).
 */
const REGRESSIONS = [53, 144, 289, 377, 470, 584, 718, 1052, 1432];
const CASES = 600;
/** The child's peak memory: h5wasm, the reader's worker and the fixtures need about 200 MiB. */
const RSS_LIMIT_MIB = 400;

test(`${CASES} mutated Keras files (and ${REGRESSIONS.length} regression seeds) each load or fail with one line naming the file`, () => {
  // A read that HDF5 never finishes is given up after 1 s (the default, 60 s, is for real files).
  const { summary, problem } = fuzzInChild(join(REPO, 'test', 'io', 'fuzz-h5.ts'), 1, CASES, REGRESSIONS, 120_000,
    { DEEPTYPE_HDF5_TIMEOUT: '1' });
  assert.equal(problem, null);
  assert.ok(summary!.cases >= CASES, `${summary!.cases} cases ran`);
  assert.deepEqual(summary!.failures, []);
  assert.ok(summary!.slowest.ms < 3000, `seed ${summary!.slowest.seed} took ${summary!.slowest.ms} ms`);
  assert.ok(summary!.maxRssMiB < RSS_LIMIT_MIB, `peak RSS ${summary!.maxRssMiB} MiB`);
});
