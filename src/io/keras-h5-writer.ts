import { readFileSync, writeFileSync } from 'node:fs';
import type { Variable } from '../models/variable.js';
import { writeAtomically } from './atomic-write.js';
import { type File, type Group, isGroup, resolvePath, withH5Write } from './h5.js';
import { type FixedStringAttribute, markNullPadded } from './null-padding.js';

/** Keras splits a name list into `name0`, `name1`, … when it would pass this many bytes. */
const HDF5_OBJECT_HEADER_LIMIT = 64512;

/** The K22 versions written in every file, as Keras 2.2.4 on TensorFlow wrote them. */
export const KERAS_VERSION = '2.2.4';
export const BACKEND = 'tensorflow';

/**
 * Writes HDF5 attributes and datasets with the string types Keras 2.2.4 used (see the fixtures
 * README): scalar strings variable-length ASCII, name lists fixed-length NUL-padded ASCII,
 * empty name lists float64 (0,). It remembers the fixed-length lists, so `finish` can mark
 * them NUL-padded once h5wasm has closed the file.
 */
export class KerasH5Writer {
  private readonly fixed: FixedStringAttribute[] = [];

  /** A variable-length ASCII string attribute; JSON text is kept ASCII as Python's json does. */
  text(node: Group, name: string, value: string): void {
    node.create_attribute(name, asciiOnly(value), null, 'A');
  }

  /** A list of names, split into chunks the way Keras's save_attributes_to_hdf5_group does. */
  names(node: Group, name: string, list: readonly string[]): void {
    if (list.length === 0) {
      node.create_attribute(name, new Float64Array(0), [0], '<d');
      return;
    }
    const itemSize = Math.max(1, ...list.map((s) => Buffer.byteLength(s, 'utf8')));
    const chunks = splitForHeader(list, itemSize);
    chunks.forEach((chunk, i) => {
      const attr = chunks.length === 1 ? name : `${name}${i}`;
      node.create_attribute(attr, [...chunk], [chunk.length], `A${itemSize}`);
      this.fixed.push({ name: attr, size: itemSize });
    });
  }

  /** Float32 datasets named after the variables, under `group`; '/' in a name makes subgroups. */
  variables(group: Group, names: readonly string[], variables: readonly Variable[]): void {
    names.forEach((name, i) => this.float32(group, name, variables[i]!.value.f32, variables[i]!.shape));
  }

  float32(group: Group, path: string, data: Float32Array, shape: readonly number[]): void {
    const { parent, leaf } = ensureParent(group, path);
    parent.create_dataset({ name: leaf, data, shape: [...shape], dtype: '<f' });
  }

  int64Scalar(group: Group, path: string, value: number): void {
    const { parent, leaf } = ensureParent(group, path);
    parent.create_dataset({ name: leaf, data: new BigInt64Array([BigInt(value)]), shape: [], dtype: '<q' });
  }

  /** Creates the file at a temporary path, fills it, fixes the string padding, renames it into place. */
  static async write(path: string, fill: (file: File, writer: KerasH5Writer) => void): Promise<void> {
    const full = resolvePath(path);
    await writeAtomically(full, async (temp) => {
      const writer = new KerasH5Writer();
      await withH5Write(temp, (file) => fill(file, writer));
      const bytes = readFileSync(temp);
      markNullPadded(bytes, writer.fixed, full);
      writeFileSync(temp, bytes);
    });
  }
}

/** `a/b/c` under `group`: creates groups a and a/b when missing, returns a/b and 'c'. */
export function ensureParent(group: Group, path: string): { parent: Group; leaf: string } {
  const parts = path.split('/');
  const leaf = parts.pop()!;
  let parent = group;
  for (const part of parts) {
    const existing = parent.get(part);
    parent = isGroup(existing) ? existing : parent.create_group(part);
  }
  return { parent, leaf };
}

/** numpy.array_split into as few chunks as keep every chunk under the object-header limit. */
function splitForHeader(list: readonly string[], itemSize: number): string[][] {
  let count = Math.ceil((list.length * itemSize) / HDF5_OBJECT_HEADER_LIMIT);
  for (;; count++) {
    const chunks = arraySplit(list, count);
    if (chunks.every((c) => c.length * itemSize <= HDF5_OBJECT_HEADER_LIMIT)) return chunks;
  }
}

function arraySplit(list: readonly string[], count: number): string[][] {
  const base = Math.floor(list.length / count);
  const extra = list.length % count;
  const chunks: string[][] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const n = base + (i < extra ? 1 : 0);
    chunks.push(list.slice(at, at + n));
    at += n;
  }
  return chunks;
}

/** Escapes non-ASCII characters as \uXXXX, as Python's json.dumps does by default. */
function asciiOnly(text: string): string {
  return text.replace(/[^\x00-\x7f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
