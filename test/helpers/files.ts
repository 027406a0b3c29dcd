import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/** A fresh temporary folder, removed when the test ends. */
export function tempDir(t: { after: (fn: () => void) => void }, prefix = 'deeptype-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Every entry under `dir` with a digest of its content (a link's target, a pipe's kind), by
 * relative path: compare two of them to show that a refused call lost or changed nothing.
 */
export function fileDigests(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string): void => {
    for (const name of readdirSync(path).sort()) {
      const full = join(path, name);
      const stats = lstatSync(full);
      const key = relative(dir, full);
      if (stats.isDirectory()) walk(full);
      else if (stats.isSymbolicLink()) out[key] = `-> ${readlinkSync(full)}`;
      else if (stats.isFile()) out[key] = createHash('sha1').update(readFileSync(full)).digest('hex');
      else out[key] = 'special';
    }
  };
  walk(dir);
  return out;
}
