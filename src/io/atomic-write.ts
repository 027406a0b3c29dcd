import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { prepareAtomicWrite, writeFailure } from './write-target.js';

/** Flushes an open file or folder to disk. */
function sync(path: string, flags: 'r' | 'r+'): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

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
    sync(temp, 'r+');
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw writeFailure(path, e);
  }
  // The rename lives in the folder's entries: flush them too, or a power cut could bring back
  // the old file. Windows cannot open a folder to flush it.
  if (process.platform !== 'win32') sync(dirname(path), 'r');
}

/** writeAtomically for bytes already in memory. */
export function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  return writeAtomically(path, (temp) => writeFile(temp, bytes));
}
