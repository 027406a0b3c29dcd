import h5wasm from 'h5wasm/node';

/** Opens an HDF5 file read-only with h5wasm, to check what a test wrote or loaded. */
export async function h5File(path: string): Promise<InstanceType<typeof h5wasm.File>> {
  await h5wasm.ready;
  return new h5wasm.File(path, 'r');
}
