// macOS: no Mac here, so the macOS branch of the platform layer (DT_AS_MACOS) is compiled with
// clang, as Apple's toolchain would, for x86-64 (run here) and for AArch64, Apple Silicon's
// architecture (run under qemu); both must give this machine's own results.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONV_CASES, MATMUL_SHAPES, WINOGRAD_CASES } from '../backend/shapes.js';
import { build, FLAGS, firstDifference, harnessCases, needs, QUICK_FLAGS, records, runHarness } from './cross.js';

const skip = needs({ 'clang++': 'clang', 'aarch64-linux-gnu-g++': 'g++-aarch64-linux-gnu', 'qemu-aarch64': 'qemu-user' });
const MACOS = [...QUICK_FLAGS, '-DDT_AS_MACOS'];
const ARM64 = ['--target=aarch64-linux-gnu'];

test("the macOS branch built by clang gives the Linux build's results, on x86-64 and AArch64", { skip, timeout: 900_000 }, async () => {
  const cases = harnessCases(MATMUL_SHAPES, CONV_CASES, WINOGRAD_CASES);
  const linux = records(runHarness([await build('linux-x64', 'g++', QUICK_FLAGS, ['-pthread'], 'harness')], cases));
  const intel = await build('macos-branch-x64', 'clang++', MACOS, ['-pthread'], 'harness');
  assert.equal(firstDifference(records(runHarness([intel], cases)), linux), null, 'x86-64');
  const silicon = await build('macos-branch-arm64', 'clang++', [...ARM64, ...MACOS], [...ARM64, '-static', '-pthread'], 'harness');
  const scalar = await build('arm64-scalar', 'aarch64-linux-gnu-g++', [...FLAGS, '-fno-tree-vectorize', '-fno-tree-slp-vectorize'],
    ['-static', '-pthread'], 'harness');
  assert.equal(firstDifference(records(runHarness(['qemu-aarch64', silicon], cases)),
    records(runHarness(['qemu-aarch64', scalar], cases, { DEEPTYPE_ISA: 'scalar' }))), null, 'AArch64');
});
