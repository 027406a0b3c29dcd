import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** `.model.h5.<pid>.<hex>.tmp`: beside its target, hidden, and naming the process that writes it. */
const tempPattern = (name: string): RegExp =>
  new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.[0-9a-f]{8}\\.tmp$`);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

/**
 * Checks that `path` can be written whole through a temporary file beside it, removes the
 * temporary files a killed earlier write of the same path left (their process is gone), and
 * returns a fresh temporary path. Errors name the path: a missing folder, or a folder where a
 * file is expected (which would otherwise fail on the rename, naming the temporary file).
 */
export function prepareAtomicWrite(path: string): string {
  const folder = dirname(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new Error(`${path}: cannot write, the folder ${folder} does not exist`);
  }
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new Error(`${path}: cannot write, it is a folder; expected a file name`);
  }
  const name = basename(path);
  const pattern = tempPattern(name);
  for (const entry of readdirSync(folder)) {
    const pid = pattern.exec(entry)?.[1];
    if (pid !== undefined && !isAlive(Number(pid))) rmSync(join(folder, entry), { force: true });
  }
  return join(folder, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** OS error codes a write meets, in words; HDF5 reports the same conditions by their strerror text. */
const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
};
const STRERROR: Record<string, string> = {
  'no space left on device': 'ENOSPC', 'read-only file system': 'EROFS', 'permission denied': 'EACCES',
  'operation not permitted': 'EPERM', 'disk quota exceeded': 'EDQUOT', 'file too large': 'EFBIG',
  'input/output error': 'EIO', 'no such file or directory': 'ENOENT',
};

/** The OS's reason for a failed file operation, e.g. 'no space left on device (ENOSPC)', or null when it was not one. */
export function osReason(error: unknown): string | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return `${REASONS[code] ?? code.toLowerCase()} (${code})`;
  // HDF5 buries the cause in a page of diagnostics: "..., error message = 'No space left on device', ...".
  const text = error instanceof Error ? error.message : String(error);
  const message = /error message = '([^']+)'/.exec(text)?.[1];
  if (!message) return null;
  const known = STRERROR[message.toLowerCase()];
  return known ? `${REASONS[known]} (${known})` : message;
}

/**
 * A failed write as one line naming the file the user asked for (not the temporary one) and the
 * OS's reason; an error that is not about the file system passes through unchanged.
 */
export function writeFailure(path: string, error: unknown): unknown {
  const reason = osReason(error);
  return reason === null ? error : new Error(`${path}: cannot write the file: ${reason}`);
}

/**
 * `mkdir -p` whose error names the folder and the OS's real reason: Node's recursive mkdir says
 * ENOENT when the cause is a read-only file system, so the nearest existing ancestor is asked.
 */
export async function makeFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    let reason = osReason(error);
    let ancestor = dirname(resolve(dir));
    while (!existsSync(ancestor)) ancestor = dirname(ancestor);
    try {
      accessSync(ancestor, constants.W_OK);
    } catch (denied) {
      reason = osReason(denied);
    }
    throw new Error(`${dir}: cannot create the folder: ${reason ?? (error as Error).message}`);
  }
}
