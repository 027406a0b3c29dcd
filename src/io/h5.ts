import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { File, Group } from 'h5wasm/node';
import { Hdf5ReadError, readHdf5, StoredDataset, StoredGroup } from './h5-reader.js';
import { importH5wasm } from './h5wasm-import.js';

export type { File, Group };
export { StoredDataset, StoredGroup };

type H5wasm = typeof import('h5wasm/node');

let lib: H5wasm | null = null;
let readyModule: Promise<H5wasm> | null = null;

/**
 * Loads the wasm module on first write (a few tenths of a second, which a program that never
 * writes an HDF5 file should not pay; reading happens in h5-reader.ts's worker). HDF5's own
 * error printer is swapped for the throwing one, so a failure becomes an exception we can
 * word, not a page of diagnostics on stderr followed by calls on an invalid handle.
 */
function ready(): Promise<H5wasm> {
  readyModule ??= importH5wasm().then(async (loaded) => {
    const module = await loaded.default.ready;
    module.activate_throwing_error_handler();
    lib = loaded;
    return loaded;
  });
  return readyModule;
}

/** Whether `entity`, from a file being written, is a group. */
export function isGroup(entity: unknown): entity is Group {
  if (!lib) throw new Error('h5wasm used before an HDF5 file was opened');
  return entity instanceof lib.Group;
}

/** `~/x.h5` → the home folder, relative → absolute (h5wasm's node build uses real paths). */
export function resolvePath(path: string): string {
  if (typeof path !== 'string' || path.length === 0) throw new Error(`expected a file path, got ${String(path)}`);
  return resolve(path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path);
}

/** The last line HDF5 put on its error stack is the most specific ("truncated file: …"). */
function hdf5Reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split('\n').filter((l) => /#\d+:/.test(l));
  const last = lines[lines.length - 1];
  return last ? last.replace(/^.*\):\s*/, '').trim() : text.split('\n')[0]!;
}

const SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/** HDF5 puts its signature at 0, 512, 1024, … (after an optional user block). */
function hasHdf5Signature(path: string, size: number): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(8);
    for (let offset = 0; offset + 8 <= size; offset = offset === 0 ? 512 : offset * 2) {
      if (readSync(fd, head, 0, 8, offset) === 8 && head.equals(SIGNATURE)) return true;
    }
    return false;
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads an HDF5 file whole (see readHdf5) and runs `use` on it. A missing file, a file that is
 * not HDF5, one HDF5 refuses (truncated, corrupt) and one that makes HDF5 crash or hang each
 * get a one-line message that names the file.
 */
export async function withH5Read<T>(path: string, use: (file: StoredGroup) => T | Promise<T>): Promise<T> {
  const full = resolvePath(path);
  let size: number;
  try {
    const stat = statSync(full);
    if (!stat.isFile()) throw new Error('not a regular file');
    size = stat.size;
  } catch (e) {
    throw new Error(`${full}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (!hasHdf5Signature(full, size)) throw new Error(`${full}: not an HDF5 file (no HDF5 signature); expected a Keras .h5 file`);
  let file: StoredGroup;
  try {
    file = await readHdf5(full);
  } catch (e) {
    if (!(e instanceof Hdf5ReadError)) throw e;
    throw new Error(e.opening ? `${full}: HDF5 cannot open the file, it is truncated or corrupt (${hdf5Reason(e)})`
      : `${full}: ${hdf5Reason(e)}; the file is corrupt`);
  }
  try {
    return await use(file);
  } catch (e) {
    if (e instanceof Error && /HDF5-DIAG/.test(e.message)) {
      throw new Error(`${full}: HDF5 read failed, the file is truncated or corrupt (${hdf5Reason(e)})`);
    }
    throw e;
  }
}

/**
 * Creates an HDF5 file at `path` (overwriting it) and runs `fill` on it. Written with the
 * earliest file format that can hold the contents (superblock 0, version-1 object headers), as
 * h5py writes by default, so that old readers (Keras 2.2.4 with h5py 2.x) can open it.
 */
export async function withH5Write(path: string, fill: (file: File) => void): Promise<void> {
  const h5 = await ready();
  const file = new h5.default.File(path, 'w', { libver: ['earliest', 'v108'] });
  try {
    fill(file);
  } finally {
    file.close();
  }
}

/** The child `name` of `group` as a group, or null when absent or not a group. */
export function childGroup(group: StoredGroup, name: string): StoredGroup | null {
  const entity = group.get(name);
  return entity instanceof StoredGroup ? entity : null;
}

/** Names of the attributes of `node`. */
export function attributeNames(node: StoredGroup | StoredDataset): string[] {
  return Object.keys(node.attrs);
}

/** A scalar string attribute (fixed or variable length), or null when absent. */
export function stringAttribute(node: StoredGroup, name: string, where: string): string | null {
  if (!attributeNames(node).includes(name)) return null;
  const value = node.attribute(name);
  const text = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (typeof text !== 'string') throw new Error(`${where}: attribute '${name}' should be a string, got ${describe(value)}`);
  return text;
}

/**
 * A list of names stored as attribute `name` or, when Keras had to split a long list, as
 * `name0`, `name1`, … Any attribute with no elements is an empty list: Keras wrote `[]`, which
 * h5py stores as a float64 array of shape (0,).
 */
export function nameListAttribute(node: StoredGroup, name: string, where: string): string[] | null {
  const present = attributeNames(node);
  const parts = present.includes(name) ? [name] : chunkNames(present, name);
  if (parts.length === 0) return null;
  return parts.flatMap((part) => {
    const value = node.attribute(part);
    if (typeof value === 'string') return [value];
    if (ArrayBuffer.isView(value) && value.byteLength === 0) return [];
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
    throw new Error(`${where}: attribute '${part}' should be a list of names, got ${describe(value)}`);
  });
}

function chunkNames(present: string[], name: string): string[] {
  const parts: string[] = [];
  while (present.includes(`${name}${parts.length}`)) parts.push(`${name}${parts.length}`);
  return parts;
}

function describe(value: unknown): string {
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  const text = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
