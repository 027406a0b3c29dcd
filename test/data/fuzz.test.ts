// Image decoding under a seeded fuzzer (cases in fuzz-images.ts, run in a child process by
// test/helpers/fuzz.ts): every damaged JPEG, PNG, TIFF, BMP or PPM must decode whole or fail
// with one line naming the file, without an abort, a hang or a memory blow-up.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fuzzInChild } from '../helpers/fuzz.js';
import { REPO } from '../helpers/paths.js';

/**
 * Seeds that once failed, kept as regression cases: PPM headers claiming billions of pixels
 * allocated before the data was checked ("Invalid typed array length", 749, 752, 870); libjpeg's
 * complaints came as several lines (716, 802, 824).
 */
const REGRESSIONS = [716, 749, 752, 802, 824, 870];
const CASES = 1000;
/** The child's peak memory: a header may claim up to the 89.5-megapixel limit, a few hundred MiB decoded. */
const RSS_LIMIT_MIB = 600;

test(`${CASES} damaged images (and ${REGRESSIONS.length} regression seeds) each decode whole or fail with one line naming the file`, () => {
  const { summary, problem } = fuzzInChild(join(REPO, 'test', 'data', 'fuzz-images.ts'), 1, CASES, REGRESSIONS, 120_000);
  assert.equal(problem, null);
  assert.ok(summary!.cases >= CASES, `${summary!.cases} cases ran`);
  assert.deepEqual(summary!.failures, []);
  assert.ok(summary!.slowest.ms < 3000, `seed ${summary!.slowest.seed} took ${summary!.slowest.ms} ms`);
  assert.ok(summary!.maxRssMiB < RSS_LIMIT_MIB, `peak RSS ${summary!.maxRssMiB} MiB`);
});
