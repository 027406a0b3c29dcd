import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { prepareAtomicWrite, writeFailure } from './write-target.js';

/**
 * Writes `path` through a temporary file in the same folder, then renames it into place, so a
 * crash or an error midway never leaves a broken file where a good one was (a rename within a
 * folder is atomic). `write` receives the temporary path.
 */
export async function writeAtomically(path: string, write: (tempPath: string) => Promise<void>): Promise<void> {
  const temp = prepareAtomicWrite(path);
  try {
    await write(temp);
    // Flush to disk before the rename, or a power cut could leave the new name on empty data.
    const fd = openSync(temp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw writeFailure(path, e);
  }
}
