/**
 * Builds the kernel library (native/ without the N-API binding) and test/native/harness.cc with
 * another platform's compiler, runs the result under an emulator where there is one, and
 * compares the records two builds write. Used by the arm64, windows and macos tests here.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO, skipUnless } from '../helpers/paths.js';

const NATIVE = join(REPO, 'native');

/** The kernel library's sources and the harness (not binding.cc: no Node headers for other platforms here). */
export const SOURCES = [
  ...readdirSync(NATIVE).filter((f) => f.endsWith('.cc') && f !== 'binding.cc').map((f) => join(NATIVE, f)),
  ...readdirSync(join(NATIVE, 'platform')).filter((f) => f.endsWith('.cc')).map((f) => join(NATIVE, 'platform', f)),
  join(REPO, 'test', 'native', 'harness.cc'),
].sort();

/** binding.gyp's flags for every file. */
export const FLAGS = ['-std=c++20', '-O3', '-fno-math-errno', '-fno-trapping-math', '-pthread'];
/** For builds that prove a platform's branch rather than its vectorised code: compiled in a third of the time. */
export const QUICK_FLAGS = FLAGS.map((f) => (f === '-O3' ? '-O1' : f));

const onPath = (binary: string): boolean => spawnSync('sh', ['-c', `command -v ${binary}`]).status === 0;

/**
 * The skip value of a test that needs these programs, installing their Debian packages first
 * when they are missing and this runs as root (CI does); under CI=true a missing one is an error.
 */
export function needs(programs: Record<string, string>): string | false {
  const missing = Object.entries(programs).filter(([binary]) => !onPath(binary));
  if (missing.length && process.getuid?.() === 0) {
    const packages = [...new Set(missing.map(([, pkg]) => pkg))];
    spawnSync('sh', ['-c', `apt-get install -y -qq ${packages.join(' ')} || (apt-get update -qq && apt-get install -y -qq ${packages.join(' ')})`],
      { stdio: 'inherit' });
  }
  const still = missing.filter(([binary]) => !onPath(binary)).map(([binary, pkg]) => `${binary} (Debian ${pkg})`);
  return skipUnless(still.length === 0, `not installed: ${still.join(', ')}`);
}

function compile(cxx: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cxx, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cxx} ${args.join(' ')}:\n${stderr}`))));
  });
}

/**
 * Compiles SOURCES with `cxx` and `flags` (two at a time: the machine has two cores) and links
 * `output` with `link`; objects are kept under build/cross/, keyed by the sources and flags.
 */
export async function build(name: string, cxx: string, flags: string[], link: string[], output: string): Promise<string> {
  const headers = readdirSync(NATIVE).filter((f) => f.endsWith('.h')).map((f) => join(NATIVE, f));
  const key = createHash('sha256');
  for (const file of [...SOURCES, ...headers, join(NATIVE, 'platform', 'platform.h')]) key.update(file).update(readFileSync(file));
  key.update(cxx).update(flags.join(' '));
  const cross = join(REPO, 'build', 'cross');
  const dir = join(cross, `${name}-${key.digest('hex').slice(0, 12)}`);
  const binary = join(dir, output);
  if (existsSync(binary)) return binary;
  // Builds of older sources go.
  for (const old of existsSync(cross) ? readdirSync(cross) : []) {
    if (new RegExp(`^${name}-[0-9a-f]{12}$`).test(old)) rmSync(join(cross, old), { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  const objects = SOURCES.map((source) => join(dir, relative(REPO, source).replaceAll('/', '_').replace(/\.cc$/, '.o')));
  const queue = SOURCES.map((source, i) => () => compile(cxx, [...flags, '-c', source, '-o', objects[i]!]));
  const worker = async (): Promise<void> => {
    for (let job = queue.shift(); job; job = queue.shift()) await job();
  };
  await Promise.all([worker(), worker()]);
  await compile(cxx, [...objects, ...link, '-o', binary]);
  return binary;
}

/** The harness's input: every case of test/backend's shapes and more, one a line. */
export function harnessCases(matmul: [number, number, number][],
  conv: [number, number, number, number, number, number, number, boolean][],
  winograd: [number, number, number, number, number, boolean][]): string {
  const lines: string[] = [];
  let i = 0;
  for (const [m, k, n] of matmul) {
    for (const ta of [0, 1]) for (const tb of [0, 1]) lines.push(`matmul ${m} ${k} ${n} ${ta} ${tb} ${i % 2} ${i++ % 4}`);
  }
  conv.forEach(([b, h, w, inC, outC, k, s, same], j) => lines.push(`conv ${b} ${h} ${w} ${inC} ${outC} ${k} ${s} ${+same} ${j % 3 ? 1 : 0} ${j % 4}`));
  winograd.forEach(([b, h, w, inC, outC, same], j) => {
    lines.push(`conv ${b} ${h} ${w} ${inC} ${outC} 3 1 ${+same} ${j % 2} ${(j + 1) % 4}`);
    lines.push(`convpool ${b} ${h} ${w} ${inC} ${outC} 3 1 ${+same} 2 2 0 ${j % 2 ? 1 : 2}`);
  });
  // RGB first layers, strided, overlapping 3×3/2 windows (SqueezeNet's), a 5×5 kernel.
  lines.push('convpool 2 20 33 3 32 3 1 0 2 2 0 1', 'convpool 1 27 31 3 17 3 2 1 3 2 0 3', 'convpool 3 11 9 3 5 5 1 1 2 2 1 1',
    'convpool 1 36 13 16 40 3 1 1 3 2 0 1', 'convpool 2 8 9 64 5 3 1 0 2 2 0 1');
  lines.push('pool 2 9 11 5 2 2 0', 'pool 1 13 12 16 3 2 1', 'pool 3 7 7 3 3 1 1');
  lines.push('elementwise 1000', 'elementwise 40', 'optimizer 1037', 'warp 9 13 3', 'warp 15 15 1');
  return `${lines.join('\n')}\n`;
}

/** Runs `command` with `input` on stdin and returns its stdout's bytes. */
export function runHarness(command: string[], input: string, env: Record<string, string> = {}): Buffer {
  const r = spawnSync(command[0]!, command.slice(1), { input, env: { ...process.env, DEEPTYPE_NUM_THREADS: '2', ...env },
    maxBuffer: 1 << 30, timeout: 600_000 });
  assert.equal(r.status, 0, `${command.join(' ')} failed: ${r.error ?? ''}${r.stderr?.toString() ?? ''}`);
  return r.stdout;
}

/** The label → values records a harness wrote. */
export function records(bytes: Buffer): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (let at = 0; at < bytes.length;) {
    const end = bytes.indexOf(10, at);
    const label = bytes.toString('utf8', at, end);
    const count = Number(bytes.readBigUInt64LE(end + 1));
    const start = end + 9;
    out.set(label, new Float32Array(bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + start + count * 4)));
    at = start + count * 4;
  }
  return out;
}

/** The first disagreement between two builds' records, with test/backend's tolerance, or null. */
export function firstDifference(actual: Map<string, Float32Array>, expected: Map<string, Float32Array>): string | null {
  if (actual.size !== expected.size) return `${actual.size} records, the reference wrote ${expected.size}`;
  for (const [label, want] of expected) {
    const got = actual.get(label);
    if (!got) return `no record '${label}'`;
    if (got.length !== want.length) return `${label}: ${got.length} values, the reference has ${want.length}`;
    for (let i = 0; i < want.length; i++) {
      const [a, e] = [got[i]!, want[i]!];
      if (Number.isNaN(a) && Number.isNaN(e)) continue;
      if (!(Math.abs(a - e) <= 1e-5 + 1e-4 * Math.abs(e))) return `${label}: element ${i} is ${a}, the scalar reference says ${e}`;
    }
  }
  return null;
}

/** Debian bookworm's arm64 Node (18) and what it loads: its libraries and the builtins it keeps outside the binary. */
const ARM64_NODE_PACKAGES = ['nodejs', 'libnode108', 'libbrotli1', 'libc-ares2', 'libicu72', 'libnghttp2-14', 'libssl3', 'libuv1',
  'zlib1g', 'libstdc++6', 'libgcc-s1', 'libc6'].map((p) => `${p}:arm64`).concat(['node-cjs-module-lexer', 'node-acorn', 'node-undici']);

/**
 * A folder holding Debian's arm64 Node unpacked (usr/bin/node), for `qemu-aarch64 -L folder`:
 * the packages are downloaded with apt (arm64 added as a foreign architecture) and unpacked,
 * never installed. Kept under build/cross/. The reason it cannot be had, or the folder.
 */
export function arm64NodeRoot(): { root: string } | { missing: string } {
  const root = join(REPO, 'build', 'cross', 'arm64-node');
  if (existsSync(join(root, 'usr', 'bin', 'node'))) return { root };
  if (process.getuid?.() !== 0) return { missing: 'Debian\'s arm64 nodejs (apt-get download, as root)' };
  const debs = join(REPO, 'build', 'cross', 'arm64-debs');
  mkdirSync(debs, { recursive: true });
  const script = `(dpkg --print-foreign-architectures | grep -qx arm64 || (dpkg --add-architecture arm64 && apt-get update -qq)) &&
    apt-get download ${ARM64_NODE_PACKAGES.join(' ')} && for d in *.deb; do dpkg -x "$d" ${JSON.stringify(root)}; done`;
  const r = spawnSync('sh', ['-c', script], { cwd: debs, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(join(root, 'usr', 'bin', 'node'))) return { missing: `Debian's arm64 nodejs: ${r.stderr.trim().split('\n').pop()}` };
  return { root };
}
