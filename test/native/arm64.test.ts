// AArch64, under qemu-user: the kernels built with Debian's cross compiler, the NEON build (its
// micro-kernel and the compiler's vectorised loops) against a scalar build of the same sources
// on test/backend's shapes; then the linux-arm64 prebuild the package ships, loaded by the same
// loader in Debian's arm64 Node, passing test/backend/native.test.ts. `npm run test:arm64`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { build as bundle } from 'esbuild';
import { CONV_CASES, MATMUL_SHAPES, WINOGRAD_CASES } from '../backend/shapes.js';
import { REPO, skipUnless } from '../helpers/paths.js';
import { arm64NodeRoot, build, FLAGS, firstDifference, harnessCases, needs, records, runHarness } from './cross.js';

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
  // 44 products, 33 + 6 convolutions × 3 outputs, 11 pooled convolutions × 5, 3 pools × 4, 2 × 21
  // elementwise, 1 optimizer run, 2 warps × 4 fill modes × (float, 8-bit).
  assert.equal(want.size, 287);
  assert.equal(firstDifference(got, want), null);
  console.log(`# arm64: ${got.size} outputs of ${cases.trim().split('\n').length} cases agree (NEON build vs scalar build, qemu-aarch64)`);
});

const node = skip ? null : arm64NodeRoot();
const nodeSkip = skip || skipUnless(node !== null && 'root' in node, node && 'missing' in node ? node.missing : '');

test('the linux-arm64 prebuild loads in arm64 Node and passes the native backend tests', { skip: nodeSkip, timeout: 1_800_000 }, async (t) => {
  const root = (node as { root: string }).root;
  const out = mkdtempSync(join(tmpdir(), 'deeptype-arm64-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const prebuild = spawnSync(process.execPath, [join(REPO, 'native', 'prebuild.mjs'), '--arch', 'arm64', '--out', out], { encoding: 'utf8' });
  assert.equal(prebuild.status, 0, prebuild.stderr);
  // Node 18 runs plain JavaScript only (tsx's esbuild is this machine's binary): the test file,
  // bundled inside the repository, where it finds deeptype's package.json and node_modules.
  const script = join(REPO, 'build', 'cross', 'arm64-native.test.mjs');
  await bundle({ entryPoints: [join(REPO, 'test', 'backend', 'native.test.ts')], bundle: true, platform: 'node', format: 'esm',
    target: 'node18', packages: 'external', outfile: script, logLevel: 'warning' });
  // Run directly, node:test runs the file's tests in this process (with --test it would spawn
  // process.execPath, an arm64 binary this machine cannot start without qemu), and reports in
  // TAP unless it believes a runner is reading (NODE_TEST_CONTEXT, inherited from this one).
  const env: NodeJS.ProcessEnv = { ...process.env, DEEPTYPE_PREBUILD: out, DEEPTYPE_BACKEND: 'native' };
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync('qemu-aarch64', ['-L', root, join(root, 'usr', 'bin', 'node'), script], { cwd: REPO, encoding: 'utf8',
    env, timeout: 1_700_000, maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, `${r.stdout.slice(-3000)}\n${r.stderr}`);
  assert.match(r.stdout, /^ok \d+ - native GEMM kernels on neon agree with js$/m);
  assert.match(r.stdout, /^# fail 0$/m);
  console.log(`# arm64 Node: ${/^# pass (\d+)$/m.exec(r.stdout)?.[1]} native backend tests pass on the linux-arm64 prebuild`);
});
