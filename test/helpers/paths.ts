import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file, so tests run from any working directory. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Keras-layout HDF5 fixtures with their inputs and outputs (see their README and generate.py). */
export const FIXTURES = join(REPO, 'test', 'fixtures', 'keras-h5');

/** The SqueezeNet 1.1 ImageNet weights the package ships. */
export const SQUEEZENET_WEIGHTS = join(REPO, 'models', 'squeezenet_weights_tf_dim_ordering_tf_kernels_notop.h5');

/** The lecture's 87 MB photo set, which stays outside the repository: ../shared/data beside it. */
export const DATA_DIR = join(REPO, '..', 'shared', 'data', 'cats_and_dogs_small');

/**
 * node:test's `skip` value for a test that needs something outside the repository: false when
 * it is there, else the reason. Under CI=true a missing need is an error instead, so CI can
 * never pass with the comparisons that matter silently skipped.
 */
export function skipUnless(present: boolean, reason: string): string | false {
  if (present) return false;
  if (process.env.CI) throw new Error(`CI runs every test, but ${reason}`);
  return reason;
}

/** The skip value of a test that reads the lecture's photos. */
export const needsData = skipUnless(existsSync(DATA_DIR), `the photo set is not at ${DATA_DIR}`);

/** Keras 3 fixtures: `.keras` files and the numbers Keras computed (see the scripts beside them). */
export const KERAS3_FIXTURES = join(REPO, 'test', 'fixtures', 'keras3');
