// Windows: the kernels and the harness built with Debian's mingw-w64 cross compiler (GCC for
// Windows, so the platform layer's Windows branch and every kernel compile and link), then run
// under wine against this machine's own build of the same harness.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CONV_CASES, MATMUL_SHAPES, WINOGRAD_CASES } from '../backend/shapes.js';
import { build, firstDifference, harnessCases, needs, QUICK_FLAGS, records, runHarness } from './cross.js';

const CXX = 'x86_64-w64-mingw32-g++-posix';
// Debian's wine64 puts its loader outside PATH.
const WINE = '/usr/lib/wine/wine64';
const skip = needs({ [CXX]: 'g++-mingw-w64-x86-64-posix', [WINE]: 'wine64' });

test('the kernels built for Windows x64 (mingw-w64) give the Linux build\'s results under wine', { skip, timeout: 900_000 }, async () => {
  const exe = await build('windows-x64', CXX, QUICK_FLAGS, ['-static', '-pthread'], 'harness.exe');
  // A PE image ('MZ', then 'PE\0\0' where the DOS header points) for the x86-64 machine (0x8664).
  const bytes = readFileSync(exe);
  const pe = bytes.readUInt32LE(0x3c);
  assert.deepEqual([bytes.toString('latin1', 0, 2), bytes.toString('latin1', pe, pe + 4), bytes.readUInt16LE(pe + 4)], ['MZ', 'PE\0\0', 0x8664]);
  const cases = harnessCases(MATMUL_SHAPES, CONV_CASES, WINOGRAD_CASES);
  const linux = await build('linux-x64', 'g++', QUICK_FLAGS, ['-pthread'], 'harness');
  assert.equal(firstDifference(records(runHarness([WINE, exe], cases, { WINEDEBUG: '-all' })), records(runHarness([linux], cases))), null);
});
