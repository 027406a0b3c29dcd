// Puts a build of the addon into <out>/prebuilds/<platform>-<arch>/deeptype.<libc>.node, the
// name node-gyp-build looks for (prebuildify's). `npm pack` runs it, so the package carries the
// kernels and its users need no compiler. The addon picks its instruction set at run time (AVX-512,
// AVX2 or scalar; NEON on AArch64), so one binary serves every CPU of an architecture.
//
//   node native/prebuild.mjs [--out DIR]          this machine's platform, from build/ (incremental)
//   node native/prebuild.mjs --arch arm64 [--out DIR]   Linux AArch64 with Debian's cross compiler
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { nodeGyp, root } from './gyp.mjs';

const { values } = parseArgs({ options: { arch: { type: 'string', default: process.arch }, out: { type: 'string', default: root } } });
const cross = values.arch !== process.arch;
// node-gyp-build's rule for the libc tag.
const libc = process.platform === 'linux' && existsSync('/etc/alpine-release') ? 'musl' : 'glibc';
const folder = join(values.out, 'prebuilds', `${process.platform}-${values.arch}`);
const target = join(folder, `deeptype${process.platform === 'linux' ? `.${libc}` : ''}.node`);

/** Compiles in `dir` (binding.gyp and native/ there) and returns the built addon's path, or exits. */
function compile(dir, env, extra) {
  if (!cross && !existsSync(join(dir, 'build', 'Makefile')) && !nodeGyp('configure', [], { cwd: dir })) process.exit(1);
  // Incremental for this machine: after `npm ci` nothing is recompiled.
  if (!nodeGyp(cross ? 'rebuild' : 'build', extra, { cwd: dir, env })) process.exit(1);
  return join(dir, 'build', 'Release', 'deeptype_native.node');
}

let built;
let strip = 'strip';
if (!cross) built = compile(root, process.env, []);
else {
  const prefix = { arm64: 'aarch64-linux-gnu' }[values.arch];
  if (process.platform !== 'linux' || !prefix || spawnSync('sh', ['-c', `command -v ${prefix}-g++`]).status !== 0) {
    console.warn(`deeptype: no ${process.platform}-${values.arch} prebuild: it needs Linux and ${prefix ?? 'a'} cross compiler ` +
      `(Debian: apt-get install g++-${prefix ?? '<triplet>'})`);
    process.exit(0);
  }
  // A copy of the sources, so the cross build leaves this machine's build/ alone.
  const dir = mkdtempSync(join(tmpdir(), 'deeptype-cross-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(root, 'binding.gyp'), join(dir, 'binding.gyp'));
  cpSync(join(root, 'native'), join(dir, 'native'), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  const tools = { CC: `${prefix}-gcc`, CXX: `${prefix}-g++`, LINK: `${prefix}-g++`, AR: `${prefix}-ar` };
  built = compile(dir, { ...process.env, ...tools }, [`--arch=${values.arch}`]);
  strip = `${prefix}-strip`;
}
mkdirSync(folder, { recursive: true });
copyFileSync(built, target);
if (process.platform === 'linux' && spawnSync(strip, ['--strip-unneeded', target], { stdio: 'inherit' }).status !== 0) process.exit(1);
console.log(`deeptype: prebuilt ${target}`);
