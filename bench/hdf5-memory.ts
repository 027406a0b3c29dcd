/**
 * What opening an HDF5 file costs in memory: a fresh node imports the built package (dist/),
 * runs a case's setup (building the model a weights file is loaded into), notes its resident
 * memory, loads the file, and takes the peak RSS after it; the difference is the file's cost
 * (the bound: 64 MB beyond its data). The last row is the whole pretrained call, the model's
 * construction included, for comparison. Each case runs in fresh processes, `--rounds` times
 * (garbage collection moves a single figure by several MB); the record has the median and the
 * range. Writes bench/results/hdf5-memory.json.
 *
 *   npm run build && npx tsx bench/hdf5-memory.ts [--rounds 5]
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { median, writeRecord } from './harness.js';

const repo = resolve(import.meta.dirname, '..');
const MiB = 2 ** 20;
const SQUEEZENET = 'models/squeezenet_weights_tf_dim_ordering_tf_kernels_notop.h5';

/** [label, file, setup, the call that loads it]. */
const CASES: [string, string, string, string][] = [
  ['loadModel, K22 convnet fixture', 'test/fixtures/keras-h5/k22_small_convnet.h5', '', 'await d.loadModel(file)'],
  ['loadModel, TF2 dense fixture', 'test/fixtures/keras-h5/tf2_dense_net.h5', '', 'await d.loadModel(file)'],
  ['loadWeights, SqueezeNet ImageNet weights (shipped)', SQUEEZENET,
    'const m = await d.applications.squeezenet({ weights: null, inputShape: [64, 64, 3] });',
    'await d.loadWeights(m, file, { byName: true })'],
  ['applications.squeezenet with ImageNet weights (model built too)', SQUEEZENET, '',
    'await d.applications.squeezenet({ inputShape: [64, 64, 3] })'],
];

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);

/** MiB the call added to the resident memory, in a fresh process. */
function addedMiB(file: string, setup: string, call: string, label: string): number {
  const script = `const d = await import(${JSON.stringify(join(repo, 'dist', 'esm', 'index.js'))});
const file = ${JSON.stringify(join(repo, file))};
${setup}
const before = process.memoryUsage().rss;
${call};
console.log(JSON.stringify({ before, after: process.resourceUsage().maxRSS * 1024 }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${label}: ${r.stderr}`);
  const { before, after } = JSON.parse(r.stdout) as { before: number; after: number };
  return (after - before) / MiB;
}

const rows = CASES.map(([label, file, setup, call]) => {
  const added = Array.from({ length: rounds }, () => addedMiB(file, setup, call, label));
  const fileMiB = statSync(join(repo, file)).size / MiB;
  const beyond = (mib: number): number => +((mib - fileMiB) * MiB / 1e6).toFixed(1);
  const mid = median(added);
  return { label, file, fileMiB: +fileMiB.toFixed(2), addedMiB: +mid.toFixed(1),
    addedRangeMiB: [+Math.min(...added).toFixed(1), +Math.max(...added).toFixed(1)], beyondDataMB: beyond(mid),
    beyondDataRangeMB: [beyond(Math.min(...added)), beyond(Math.max(...added))] };
});
console.table(rows);
writeRecord(join(repo, 'bench', 'results', 'hdf5-memory.json'), { node: process.version, rounds, rows });
