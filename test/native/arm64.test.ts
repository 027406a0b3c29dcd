// AArch64: the kernels built with Debian's cross compiler and run under qemu-user, the NEON
// build (its micro-kernel and the compiler's vectorised loops) against a scalar build of the
// same sources, on test/backend's shapes with its tolerance. `npm run test:arm64`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONV_CASES, MATMUL_SHAPES, WINOGRAD_CASES } from '../backend/shapes.js';
import { build, FLAGS, firstDifference, harnessCases, needs, records, runHarness } from './cross.js';

const CXX = 'aarch64-linux-gnu-g++';
const skip = needs({ [CXX]: 'g++-aarch64-linux-gnu', 'qemu-aarch64': 'qemu-user' });
const LINK = ['-static', '-pthread'];

test('NEON kernels agree with the scalar reference under qemu-aarch64', { skip, timeout: 900_000 }, async () => {
  const [neon, scalar] = await Promise.all([
    build('arm64-neon', CXX, FLAGS, LINK, 'harness'),
    build('arm64-scalar', CXX, [...FLAGS, '-fno-tree-vectorize', '-fno-tree-slp-vectorize'], LINK, 'harness'),
  ]);
  const cases = harnessCases(MATMUL_SHAPES, CONV_CASES, WINOGRAD_CASES);
  const got = records(runHarness(['qemu-aarch64', neon], cases));
  const want = records(runHarness(['qemu-aarch64', scalar], cases, { DEEPTYPE_ISA: 'scalar' }));
  // 44 products, 33 + 6 convolutions × 3 outputs, 11 pooled convolutions × 4, 3 pools × 4, 2 × 21
  // elementwise, 1 optimizer run, 2 warps × 4 fill modes.
  assert.equal(want.size, 268);
  assert.equal(firstDifference(got, want), null);
  console.log(`# arm64: ${got.size} outputs of ${cases.trim().split('\n').length} cases agree (NEON build vs scalar build, qemu-aarch64)`);
});
