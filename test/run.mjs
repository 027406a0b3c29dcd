// Runs every test file with node:test through tsx, once per backend: the js reference backend,
// then the native one when it is built (CI builds it, so there it always runs). Two folders run
// once, by themselves: test/package/ installs the packed tarball (`npm run test:package`), and
// test/native/ builds the kernels for other platforms (`npm run test:platforms`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function testFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return ['package', 'native'].some((d) => path === join('test', d)) ? [] : testFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  }).sort();
}

const files = process.argv.slice(2).length ? process.argv.slice(2) : testFiles('test');
const backends = ['js'];
if (existsSync('build/Release/deeptype_native.node')) backends.push('native');
else if (process.env.CI) {
  // CI must prove both backends: a native build that silently failed would hide half the suite.
  console.error('# the native addon was not built (build/Release/deeptype_native.node is missing); see the npm ci output');
  process.exit(1);
} else console.log('# native addon not built: running the suite on the js backend only');

let failed = false;
for (const backend of backends) {
  console.log(`# backend: ${backend}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
    stdio: 'inherit',
    env: { ...process.env, DEEPTYPE_BACKEND: backend },
  });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
