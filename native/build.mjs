// Builds the native kernels with node-gyp. A failed build is not fatal: deeptype
// then runs on its pure-TypeScript backend and says so once when it loads.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let gyp;
try { gyp = require.resolve('node-gyp/bin/node-gyp.js'); } catch { gyp = null; }
// Node's own headers, when installed beside it (Debian's nodejs, the official tarballs), spare
// node-gyp a download: the build then works offline.
const prefix = resolve(dirname(process.execPath), '..');
const localHeaders = existsSync(join(prefix, 'include', 'node', 'node_api.h'));
const args = gyp ? [gyp, 'rebuild', '--jobs=max', ...(localHeaders ? [`--nodedir=${prefix}`] : [])] : null;
const r = args ? spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root }) : { status: 1 };
if (r.status !== 0) {
  console.warn('deeptype: the native kernels did not build; the js backend will be used. ' +
    'Install python3, make and g++, then run `npm rebuild deeptype` (or `node native/build.mjs`).');
}
