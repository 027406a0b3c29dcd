// Builds the native kernels with node-gyp. A failed build is not fatal: deeptype
// then runs on its pure-TypeScript backend and says so once when it loads.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
let gyp;
try { gyp = require.resolve('node-gyp/bin/node-gyp.js'); } catch { gyp = null; }
const args = gyp ? [gyp, 'rebuild'] : null;
const r = args ? spawnSync(process.execPath, args, { stdio: 'inherit' }) : { status: 1 };
if (r.status !== 0) {
  console.warn('deeptype: the native kernels did not build; the js backend will be used. ' +
    'Install python3, make and g++, then run `npm rebuild deeptype` (or `node native/build.mjs`).');
}
