// Builds dist/ from src/: the code bundled by esbuild, once as ES modules (the library and the
// CLI, sharing chunks) and once as CommonJS (the library), dependencies left to node_modules;
// declarations by tsc, copied beside the CommonJS bundle under a package.json that marks that
// folder CommonJS, so TypeScript reads each format's types as that format.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });

const common = { bundle: true, platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning', absWorkingDir: root };
await build({
  ...common,
  entryPoints: { index: 'src/index.ts', cli: 'src/cli/main.ts' },
  format: 'esm',
  splitting: true,
  outdir: 'dist/esm',
  chunkNames: 'chunks/[name]-[hash]',
});
await build({
  ...common,
  entryPoints: { index: 'src/index.ts' },
  format: 'cjs',
  outdir: 'dist/cjs',
  // CommonJS has no import.meta: its URL is this file's, and there is no resolve (h5wasm-import.ts
  // reads h5wasm's exports map instead).
  define: { 'import.meta.url': '__deeptypeModuleUrl', 'import.meta.resolve': 'undefined' },
  banner: { js: "const __deeptypeModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const types = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (types.status !== 0) process.exit(types.status ?? 1);
cpSync(join(dist, 'esm'), join(dist, 'cjs'), { recursive: true, filter: (src) => !src.endsWith('.js') });
mkdirSync(join(dist, 'cjs'), { recursive: true });
writeFileSync(join(dist, 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
