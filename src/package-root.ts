import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of deeptype's package.json, where build/, prebuilds/ and models/ live. Found by
 * walking up from this module, because it runs from src/ (tsx), from dist/ (one bundle per
 * module format) and from a user's node_modules, each a different depth below the root.
 */
function findPackage(start: string): { root: string; version: string } {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    const json = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string } : {};
    if (json.name === 'deeptype') return { root: dir, version: json.version ?? '' };
    if (dirname(dir) === dir) throw new Error(`deeptype: no package.json named deeptype above ${start}`);
  }
}

const found = findPackage(dirname(fileURLToPath(import.meta.url)));
export const packageRoot = found.root;
export const packageVersion = found.version;
