import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, skipUnless } from './paths.js';

/**
 * Whether this machine lets an unprivileged test mount a tmpfs of its own (a user and mount
 * namespace): then a full disk and a read-only file system are real, not simulated.
 */
const canMount = spawnSync('unshare', ['-rm', 'sh', '-c', `mount -t tmpfs -o size=16k tmpfs ${tmpdir()}`]).status === 0;

/** node:test's skip value for tests that need a tmpfs of their own (under CI=true, a failure instead). */
export const needsSmallFs = skipUnless(canMount, 'unshare cannot mount a tmpfs here (user namespaces are off)');

/**
 * Runs an ES module (TypeScript allowed, paths from the repository root) in a child process
 * whose $DIR is a fresh tmpfs of `kilobytes` — read-only after `prepare` (shell commands run in
 * it first) when `readOnly`. The tmpfs exists only for the child, so the module reports what
 * it saw on stdout.
 */
export function runOnSmallFs(module: string, { kilobytes = 64, readOnly = false, prepare = '' } = {}): SpawnSyncReturns<string> {
  const dir = mkdtempSync(join(tmpdir(), 'deeptype-fs-'));
  try {
    const script = [
      `mount -t tmpfs -o size=${kilobytes}k tmpfs "$DIR"`,
      prepare,
      readOnly ? 'mount -o remount,ro "$DIR"' : '',
      `exec "${process.execPath}" --import tsx --input-type=module -e "$MODULE"`,
    ].filter(Boolean).join(' && ');
    return spawnSync('unshare', ['-rm', 'sh', '-c', script], {
      cwd: REPO, encoding: 'utf8', timeout: 60_000, env: { ...process.env, DIR: dir, MODULE: module },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
