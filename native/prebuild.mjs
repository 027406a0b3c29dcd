// Puts this machine's build of the addon into prebuilds/<platform>-<arch>/deeptype.<libc>.node,
// the name node-gyp-build looks for (prebuildify's). `npm pack` runs it, so the package carries
// the kernels and its users need no compiler; the addon picks AVX-512, AVX2 or scalar at run
// time, so one x86-64 binary serves every x86-64 CPU.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { nodeGyp, root } from './gyp.mjs';

// node-gyp-build's rule for the libc tag.
const libc = process.platform === 'linux' && existsSync('/etc/alpine-release') ? 'musl' : 'glibc';
if (!existsSync(join(root, 'build', 'Makefile')) && !nodeGyp('configure')) process.exit(1);
// Incremental: after `npm ci` nothing is recompiled.
if (!nodeGyp('build')) process.exit(1);
const folder = join(root, 'prebuilds', `${process.platform}-${process.arch}`);
const target = join(folder, `deeptype${process.platform === 'linux' ? `.${libc}` : ''}.node`);
mkdirSync(folder, { recursive: true });
copyFileSync(join(root, 'build', 'Release', 'deeptype_native.node'), target);
if (process.platform === 'linux' && spawnSync('strip', ['--strip-unneeded', target], { stdio: 'inherit' }).status !== 0) process.exit(1);
console.log(`deeptype: prebuilt ${target}`);
