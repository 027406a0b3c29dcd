// Runs node-gyp on binding.gyp, for the install script and the prebuild script.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * node-gyp: npm names its own copy to the scripts it runs (so a user's install needs none of
 * ours); in this repository the dev dependency serves.
 */
function nodeGypScript() {
  if (process.env.npm_config_node_gyp) return process.env.npm_config_node_gyp;
  try {
    return createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    return null;
  }
}

/** Runs `node-gyp <command> …` in the package root (or options.cwd); true when it succeeded. */
export function nodeGyp(command, extra = [], { cwd = root, env = process.env } = {}) {
  const script = nodeGypScript();
  if (!script) return false;
  // Node's own headers, when installed beside it (Debian's nodejs, the official tarballs), spare
  // node-gyp a download: the build then works offline.
  const prefix = resolve(dirname(process.execPath), '..');
  const local = existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
  const r = spawnSync(process.execPath, [script, command, '--jobs=max', ...local, ...extra], { stdio: 'inherit', cwd, env });
  return r.status === 0;
}
