#!/usr/bin/env node
// The `deeptype` command: the compiled CLI (dist/ is built by `npm run build`, by `npm ci` in the
// repository through `prepare`, and before `npm pack`).
try {
  await import('../dist/esm/cli.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/esm/cli.js')) throw error;
  console.error('deeptype: dist/ is not built; run `npm run build` in the deeptype folder');
  process.exitCode = 2;
}
