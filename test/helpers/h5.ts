import { importH5wasm } from '../../src/io/h5wasm-import.js';

/**
 * h5wasm for tests that write or inspect HDF5 files directly, imported the way src/io imports it:
 * past the TypeScript loader's rewriting, which costs each test process 1.7 s and 600 MB.
 */
export const h5wasm = (await importH5wasm()).default;
await h5wasm.ready;

/** Opens an HDF5 file read-only with h5wasm, to check what a test wrote or loaded. */
export async function h5File(path: string): Promise<InstanceType<typeof h5wasm.File>> {
  return new h5wasm.File(path, 'r');
}
