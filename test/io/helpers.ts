import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tensor } from '../../src/tensor/create.js';
import { h5wasm } from '../helpers/h5.js';
import type { Tensor } from '../../src/tensor/tensor.js';

export { FIXTURES, SQUEEZENET_WEIGHTS } from '../helpers/paths.js';
export { tempDir } from '../helpers/files.js';

/** A nested JSON array as a float32 tensor, bit for bit (the fixtures' inputs parse to float32 exactly). */
export function jsonTensor(path: string): Tensor {
  const nested = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  const shape: number[] = [];
  for (let a = nested; Array.isArray(a); a = a[0]) shape.push(a.length);
  return tensor(Float32Array.from((nested as unknown[]).flat(8) as number[]), shape);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export interface AttrInfo {
  /** HDF5 class (1 float, 3 string), vlen, charset (0 ASCII, 1 UTF-8), padding (1 NULLPAD) and size. */
  kind: string;
  value: unknown;
}

export interface NodeInfo {
  attrs: Record<string, AttrInfo>;
  /** For datasets: dtype, shape, contiguous (no chunks) and the raw values. */
  dataset?: { dtype: string; shape: number[]; chunked: boolean; values: unknown };
}

/** Every group and dataset of an HDF5 file, by path, with attribute kinds and values (read with h5wasm). */
export async function readTree(path: string): Promise<Map<string, NodeInfo>> {
  const file = new h5wasm.File(path, 'r');
  const tree = new Map<string, NodeInfo>();
  const attrsOf = (node: InstanceType<typeof h5wasm.Group> | InstanceType<typeof h5wasm.Dataset>): Record<string, AttrInfo> =>
    Object.fromEntries(Object.entries(node.attrs).map(([name, a]) => {
      const m = a.metadata;
      const kind = m.type === 3 ? `string vlen=${m.vlen} cset=${m.cset} pad=${m.strpad}${m.vlen ? '' : ` size=${m.size}`}`
        : `class=${m.type} size=${m.size} shape=${JSON.stringify(a.shape)}`;
      const v = a.value;
      return [name, { kind, value: ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v }];
    }));
  const walk = (group: InstanceType<typeof h5wasm.Group>): void => {
    tree.set(group.path, { attrs: attrsOf(group) });
    for (const key of group.keys()) {
      const child = group.get(key);
      if (child instanceof h5wasm.Group) walk(child);
      else if (child instanceof h5wasm.Dataset) {
        tree.set(child.path, { attrs: attrsOf(child), dataset: { dtype: String(child.dtype), shape: child.shape ?? [],
          chunked: child.metadata.chunks !== null, values: child.value } });
      }
    }
  };
  try {
    walk(file);
  } finally {
    file.close();
  }
  return tree;
}

/** A Python with h5py, or null: the system one first (where python3-h5py installs), then PATH's. */
export function pythonWithH5py(): string | null {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(python, ['-c', 'import h5py'], { encoding: 'utf8' });
    if (r.status === 0) return python;
  }
  return null;
}

/** Writes an HDF5 file with h5wasm directly, to make malformed Keras files for error tests. */
export async function writeRawH5(path: string, fill: (file: InstanceType<typeof h5wasm.File>) => void): Promise<void> {
  const file = new h5wasm.File(path, 'w');
  try {
    fill(file);
  } finally {
    file.close();
  }
}
