import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { REPO } from '../helpers/paths.js';

export { REPO, SQUEEZENET_WEIGHTS } from '../helpers/paths.js';
export { tempDir } from '../helpers/files.js';

/**
 * A data folder in the cats_and_dogs_small layout with `perClass` small JPEGs per class and
 * split: bright red-ish 'cats' and dark blue-ish 'dogs' (and green-ish 'birds' when `classes`
 * is 3), so a few steps can already learn them.
 */
export async function tinyDataset(root: string, perClass = 2, size = 64, classes: 2 | 3 = 2): Promise<string> {
  let k = 0;
  for (const split of ['train', 'validation', 'test']) {
    for (const name of ['birds', 'cats', 'dogs'].slice(3 - classes)) {
      mkdirSync(join(root, split, name), { recursive: true });
      for (let i = 0; i < perClass; i++, k++) {
        const background = name === 'cats' ? { r: 220 - 10 * i, g: 60, b: 40 + k } : name === 'dogs' ? { r: 30, g: 50 + k, b: 200 - 10 * i }
          : { r: 40 + k, g: 210 - 10 * i, b: 50 };
        await sharp({ create: { width: size, height: size, channels: 3, background } }).jpeg()
          .toFile(join(root, split, name, `${name.slice(0, 3)}.${k}.jpg`));
      }
    }
  }
  return root;
}

/**
 * Node's arguments that run the CLI's source (the built bin is tried by the packaging test, from
 * an installed tarball).
 */
export const CLI = ['--import', 'tsx', join(REPO, 'src', 'cli', 'main.ts')];

/** Runs the CLI from the repository root, as `npm start` does, and waits for it. */
export function runCli(args: readonly string[], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [...CLI, ...args], {
    cwd: REPO, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 240_000,
  });
}

/** The non-empty lines a command wrote to stderr. */
export function errorLines(result: SpawnSyncReturns<string>): string[] {
  return result.stderr.split('\n').filter((line) => line.trim() !== '');
}
