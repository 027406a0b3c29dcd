import { statSync } from 'node:fs';

/**
 * What `path` is (after following symlinks) when it exists but is not a regular file — 'a named
 * pipe (FIFO)', 'a folder', … — else null; a missing or unreadable path is left to the read,
 * which names its error. Only regular files are ever opened as images: opening a named pipe
 * blocks a libuv thread until a writer appears, which hangs training and even keeps Ctrl-C's
 * exit from finishing.
 */
export function nonRegularKind(path: string): string | null {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return null;
  }
  if (stats.isFile()) return null;
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}
