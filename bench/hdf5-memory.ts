/**
 * What opening an HDF5 file costs in memory: a fresh node imports the built package (dist/),
 * notes its peak RSS, loads a file, and notes it again; the difference is the file's cost beyond
 * the import. Each file in its own process. Writes bench/results/hdf5-memory.json.
 *
 *   npm run build && npx tsx bench/hdf5-memory.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');
const MiB = 2 ** 20;

/** [label, file, the call that loads it]. */
const CASES: [string, string, string][] = [
  ['loadModel, K22 convnet fixture', 'test/fixtures/keras-h5/k22_small_convnet.h5', 'await d.loadModel(file)'],
  ['loadModel, TF2 dense fixture', 'test/fixtures/keras-h5/tf2_dense_net.h5', 'await d.loadModel(file)'],
  ['squeezenet imagenet weights (shipped)', 'models/squeezenet_weights_tf_dim_ordering_tf_kernels_notop.h5',
    'await d.applications.squeezenet({ inputShape: [64, 64, 3] })'],
];

const rows = CASES.map(([label, file, call]) => {
  const script = `const d = await import(${JSON.stringify(join(repo, 'dist', 'esm', 'index.js'))});
const file = ${JSON.stringify(join(repo, file))};
const before = process.resourceUsage().maxRSS;
${call};
console.log(JSON.stringify({ before: before * 1024, after: process.resourceUsage().maxRSS * 1024 }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${label}: ${r.stderr}`);
  const { before, after } = JSON.parse(r.stdout) as { before: number; after: number };
  return { label, file, fileMiB: +(statSync(join(repo, file)).size / MiB).toFixed(2), importPeakMiB: +(before / MiB).toFixed(1),
    peakMiB: +(after / MiB).toFixed(1), addedMiB: +((after - before) / MiB).toFixed(1) };
});
console.table(rows);
mkdirSync(join(repo, 'bench', 'results'), { recursive: true });
writeFileSync(join(repo, 'bench', 'results', 'hdf5-memory.json'),
  `${JSON.stringify({ date: new Date().toISOString(), commit: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' }).stdout.trim(), node: process.version, rows }, null, 2)}\n`);
