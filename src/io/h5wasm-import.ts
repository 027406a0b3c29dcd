import { register } from 'node:module';

/**
 * A module-loader hook that hands h5wasm's files to Node as they are. Run from source, deeptype's
 * TypeScript loader (tsx) rewrites every ES module's dynamic imports, and on h5wasm's 4 MB
 * single-line module (the wasm binary inlined as a string) that costs 1.7 s and 600 MB of memory
 * that is never given back: every command that opened an HDF5 file peaked at 0.7 GB. h5wasm
 * needs no rewriting, so the hook answers first for its files. Plain JavaScript in a data: URL,
 * since the loader thread runs it without a TypeScript loader of its own.
 */
const PASS_THROUGH_HOOK = `
import { readFile } from 'node:fs/promises';
export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && url.includes('/node_modules/h5wasm/dist/')) {
    return { format: 'module', source: await readFile(new URL(url)), shortCircuit: true };
  }
  return nextLoad(url, context);
}`;

let registered = false;

/** h5wasm's Node build, imported without a TypeScript loader transforming it. */
export function importH5wasm(): Promise<typeof import('h5wasm/node')> {
  // Compiled to .js, no TypeScript loader runs, and there is nothing to bypass.
  if (!registered && import.meta.url.endsWith('.ts')) {
    register(`data:text/javascript,${encodeURIComponent(PASS_THROUGH_HOOK)}`);
    registered = true;
  }
  return import('h5wasm/node');
}
