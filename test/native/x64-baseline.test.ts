// An x86-64 CPU without AVX2 (qemu-x86_64 emulating a Nehalem: SSE4.2, no AVX): the same addon
// loads, takes its portable scalar kernels, computes what the js backend does, and says so in
// one line naming the features it found; never an illegal instruction.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { REPO, skipUnless } from '../helpers/paths.js';
import { needs } from './cross.js';

const skip = skipUnless(process.arch === 'x64', 'an x86-64 host') || needs({ 'qemu-x86_64': 'qemu-user' });

const SCRIPT = `
import { getBackend, setBackend } from './src/backend/index.ts';
import { jsBackend } from './src/backend/js/index.ts';
const x = Float32Array.from({ length: 2 * 9 * 9 * 3 }, (_, i) => Math.sin(i));
const kernel = Float32Array.from({ length: 3 * 3 * 3 * 8 }, (_, i) => Math.cos(i) / 5);
const info = { batch: 2, inH: 9, inW: 9, inC: 3, outH: 9, outW: 9, outC: 8, kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, padTop: 1, padLeft: 1 };
setBackend('native');
const native = getBackend().conv2d(x, kernel, info, null, 'relu');
const js = jsBackend.conv2d(x, kernel, info, null, 'relu');
console.log(JSON.stringify({ backend: getBackend().name, maxDiff: Math.max(...native.map((v, i) => Math.abs(v - js[i]))) }));
`;

test('on a CPU without AVX2 the addon runs its scalar kernels, with one line saying why', { skip, timeout: 300_000 }, () => {
  // The CPU's own best, whatever the caller asked for.
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DEEPTYPE_ISA;
  const r = spawnSync('qemu-x86_64', ['-cpu', 'Nehalem', process.execPath, '--import', 'tsx', '--input-type=module', '-e', SCRIPT],
    { cwd: REPO, encoding: 'utf8', env, timeout: 280_000 });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  const out = JSON.parse(r.stdout) as { backend: string; maxDiff: number };
  assert.equal(out.backend, 'native');
  assert.ok(out.maxDiff < 1e-5, String(out.maxDiff));
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('deeptype:'));
  assert.deepEqual(lines, ['deeptype: this CPU has no AVX2 with FMA (SIMD features found: sse4.2); the native kernels run their ' +
    'portable scalar path, several times slower']);
});
