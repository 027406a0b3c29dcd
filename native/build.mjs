// npm's install step. A prebuilt binary that loads on this machine is used as shipped; otherwise
// node-gyp compiles the kernels. A failed build is not fatal: deeptype then runs on its
// pure-TypeScript backend and says so when it first computes.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import { nodeGyp, root } from './gyp.mjs';

/** The prebuilt binary node-gyp-build picks for this machine, loaded in a child process, or null. */
function loadablePrebuild() {
  const loader = createRequire(import.meta.url).resolve('node-gyp-build');
  const probe = `const load = require(${JSON.stringify(loader)}); const root = ${JSON.stringify(root)};
    process.stdout.write(load.path(root)); load(root);`;
  const r = spawnSync(process.execPath, ['-e', probe], { env: { ...process.env, PREBUILDS_ONLY: '1' }, encoding: 'utf8' });
  return r.status === 0 ? r.stdout : null;
}

const prebuilt = loadablePrebuild();
if (prebuilt) {
  console.log(`deeptype: using the prebuilt native kernels ${relative(root, prebuilt)}`);
} else if (!nodeGyp('rebuild')) {
  console.warn(`deeptype: no prebuilt native kernels for ${process.platform}-${process.arch} and they did not compile; ` +
    'the js backend will be used. Install python3, make and g++, then run `npm rebuild deeptype`.');
}
