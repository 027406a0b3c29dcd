import { existsSync, readFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

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
    return { format: 'module', source: await readFile(new URL(url.split('?')[0])), shortCircuit: true };
  }
  return nextLoad(url, context);
}`;

let registered = false;

/**
 * The URL of h5wasm's Node build. h5wasm exports it to `import` only, so the CommonJS build of
 * deeptype, which has no import.meta.resolve, reads the package's exports map itself.
 */
export function h5wasmUrl(): string {
  if (typeof import.meta.resolve === 'function') return import.meta.resolve('h5wasm/node');
  const folders = createRequire(import.meta.url).resolve.paths('h5wasm') ?? [];
  const root = folders.map((f) => join(f, 'h5wasm')).find((dir) => existsSync(join(dir, 'package.json')));
  if (!root) throw new Error('deeptype: the h5wasm package is not installed');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, { import: string }> };
  return pathToFileURL(join(root, manifest.exports['./node']!.import)).href;
}

/**
 * h5wasm's Node build, imported without a TypeScript loader transforming it. `instance` > 0
 * imports a fresh copy, with a wasm instance of its own: one that trapped or aborted on a
 * corrupt file cannot be trusted (an abort marks it dead for good).
 */
export function importH5wasm(instance = 0): Promise<typeof import('h5wasm/node')> {
  // Compiled to .js, no TypeScript loader runs, and there is nothing to bypass.
  if (!registered && import.meta.url.endsWith('.ts')) {
    register(`data:text/javascript,${encodeURIComponent(PASS_THROUGH_HOOK)}`);
    registered = true;
  }
  return import(instance === 0 ? 'h5wasm/node' : `${h5wasmUrl()}?instance=${instance}`);
}
