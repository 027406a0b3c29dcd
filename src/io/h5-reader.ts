import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { h5wasmUrl } from './h5wasm-import.js';

/** A value read in the worker, or the message of the error reading it raised. */
type Read<T> = { value: T } | { error: string };

interface NodeData {
  path: string;
  attrs: Record<string, Read<unknown>>;
  dataset?: { shape: number[]; dtype: string; value: Read<unknown> };
  children?: Record<string, NodeData>;
}

const unwrap = <T>(read: Read<T>): T => {
  if ('error' in read) throw new Error(read.error);
  return read.value;
};

/**
 * An HDF5 group as read whole by the worker, with the part of h5wasm's Group interface the
 * loaders use. An attribute that failed to read throws its error only when asked for, as
 * h5wasm would, so a damaged attribute a loader never reads does not fail the load.
 */
export class StoredGroup {
  readonly path: string;
  readonly attrs: Record<string, unknown>;
  private readonly children: Record<string, StoredGroup | StoredDataset>;

  constructor(private readonly data: NodeData) {
    this.path = data.path;
    this.attrs = Object.fromEntries(Object.keys(data.attrs).map((k) => [k, true]));
    this.children = Object.fromEntries(Object.entries(data.children ?? {}).map(([k, child]) =>
      [k, child.dataset ? new StoredDataset(child) : new StoredGroup(child)]));
  }

  keys(): string[] {
    return Object.keys(this.children);
  }

  get(name: string): StoredGroup | StoredDataset | null {
    let node: StoredGroup | StoredDataset | null = this;
    for (const part of name.split('/').filter(Boolean)) node = node instanceof StoredGroup ? node.children[part] ?? null : null;
    return node;
  }

  attribute(name: string): unknown {
    const read = this.data.attrs[name];
    if (!read) throw new Error(`${this.path}: no attribute '${name}'`);
    return unwrap(read);
  }
}

/** An HDF5 dataset as read by the worker: shape, type and values (or the error reading them). */
export class StoredDataset {
  readonly path: string;
  readonly attrs: Record<string, unknown>;
  readonly shape: number[];
  readonly dtype: string;
  private readonly read: Read<unknown>;

  constructor(data: NodeData) {
    this.path = data.path;
    this.attrs = Object.fromEntries(Object.keys(data.attrs).map((k) => [k, true]));
    this.shape = data.dataset!.shape;
    this.dtype = data.dataset!.dtype;
    this.read = data.dataset!.value;
  }

  get value(): unknown {
    return unwrap(this.read);
  }
}

/**
 * The worker: h5wasm reads the whole file (attributes, dataset shapes and values) and posts it
 * back. Plain JavaScript, run without the parent's loaders. A dataset claiming more bytes than
 * the file could hold is not read (a 28 KB file can declare terabytes), groups nest at most 64
 * deep, and what the library prints (emscripten's "Aborted(…)", h5wasm's UTF-8 warnings on
 * damaged strings) is dropped: the error posted back says what matters, on the caller's one line.
 */
const WORKER = (h5wasmUrl: string): string => `
const { parentPort } = require('node:worker_threads');
console.error = console.warn = console.log = () => {};
let h5 = null;
// An HDF5 error is kept for the value it concerns; a trap or abort ends the whole read.
const read = (fn) => {
  try {
    return { value: fn() };
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) throw e;
    return { error: String(e && e.message || e) };
  }
};
function node(entity, depth, limit, transfer) {
  if (depth > 64) throw new Error('groups nested more than 64 deep');
  const attrs = {};
  for (const name of Object.keys(entity.attrs)) attrs[name] = read(() => entity.get_attribute(name, false));
  if (entity instanceof h5.Dataset) {
    const shape = entity.shape ?? [];
    const bytes = shape.reduce((n, d) => n * d, 1) * (entity.metadata.size || 1);
    const value = bytes > limit ? { error: 'dataset ' + entity.path + ' declares ' + bytes + ' bytes, more than the file can hold' }
      : read(() => entity.value);
    if (value.value && ArrayBuffer.isView(value.value)) transfer.push(value.value.buffer);
    return { path: entity.path, attrs, dataset: { shape, dtype: String(entity.dtype), value } };
  }
  const children = {};
  for (const key of entity.keys()) {
    const child = entity.get(key);
    if (child instanceof h5.Group || child instanceof h5.Dataset) children[key] = node(child, depth + 1, limit, transfer);
  }
  return { path: entity.path, attrs, children };
}
parentPort.on('message', async ({ path, limit }) => {
  try {
    if (!h5) {
      h5 = (await import(${JSON.stringify(h5wasmUrl)})).default;
      (await h5.ready).activate_throwing_error_handler();
    }
    let file;
    try {
      file = new h5.File(path, 'r');
    } catch (e) {
      parentPort.postMessage({ error: String(e && e.message || e), opening: true, crashed: e instanceof WebAssembly.RuntimeError });
      return;
    }
    const transfer = [];
    let tree;
    try {
      tree = node(file, 0, limit, transfer);
    } finally {
      try { file.close(); } catch {}  // after a crash, closing fails too: the first error is the one to report
    }
    parentPort.postMessage({ tree }, transfer);
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message || e), crashed: e instanceof WebAssembly.RuntimeError });
  }
});`;

let worker: Worker | null = null;

/** Seconds a read may take before the file is declared corrupt: $DEEPTYPE_HDF5_TIMEOUT, default 60. */
function timeoutMs(): number {
  const seconds = Number(process.env.DEEPTYPE_HDF5_TIMEOUT ?? 60);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 60) * 1000;
}

/**
 * Reads the HDF5 file at `path` whole, in a worker thread: a corrupt file can make HDF5 loop
 * forever (a damaged heap reference), trap or call abort() inside the wasm module, none of which
 * this thread could survive or interrupt. The worker is kept for the next file, and replaced
 * after a crash or a read that did not end in time. Errors are the worker's messages; `crashed`
 * and `timedOut` say how it failed.
 */
export function readHdf5(path: string): Promise<StoredGroup> {
  // Keras writes weights uncompressed: the data of every dataset is in the file.
  const limit = 16 * statSync(path).size + 16 * 2 ** 20;
  // A small young generation: the worker's own objects are few (the values are typed arrays
  // outside V8's heap), and its default semi-spaces cost several MB of resident memory.
  const w = (worker ??= new Worker(WORKER(h5wasmUrl()), { eval: true, execArgv: [],
    resourceLimits: { maxYoungGenerationSizeMb: 2 } }));
  // Kept for the next file, but never the reason the process stays alive.
  w.ref();
  return new Promise((resolve, reject) => {
    const fail = (message: string): void => {
      cleanup();
      void w.terminate();
      worker = null;
      reject(new Hdf5ReadError(message));
    };
    const timer = setTimeout(() => fail(`HDF5 did not finish reading the file in ${timeoutMs() / 1000} s`), timeoutMs());
    const onMessage = (reply: { tree?: NodeData; error?: string; crashed?: boolean; opening?: boolean }): void => {
      cleanup();
      if (reply.tree) resolve(new StoredGroup(reply.tree));
      else if (reply.crashed) fail(`HDF5 failed on the file (${reply.error})`);
      else reject(new Hdf5ReadError(reply.error ?? 'unknown error', reply.opening));
    };
    const onExit = (): void => fail('the HDF5 reader stopped unexpectedly');
    const cleanup = (): void => {
      w.unref();
      clearTimeout(timer);
      w.off('message', onMessage);
      w.off('error', onExit);
      w.off('exit', onExit);
    };
    w.on('message', onMessage);
    w.on('error', onExit);
    w.on('exit', onExit);
    w.postMessage({ path, limit });
  });
}

/** An error the worker reported, or its failure: the caller names the file and words it. */
export class Hdf5ReadError extends Error {
  constructor(message: string, readonly opening = false) {
    super(message);
  }
}
