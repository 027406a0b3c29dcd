/**
 * The lecture's training epoch as a user runs it, on ../shared/data/cats_and_dogs_small, with
 * its time broken into parts, beside the same epoch in Keras 3 and PyTorch:
 *
 *   npx tsx bench/epoch.ts [--exp augment|scratch] [--epochs 3] [--rounds 3] [--peers keras,torch]
 *     [--keras-python <venv>/bin/python] [--torch-workers 1] [--out bench/results/epoch-<exp>.json]
 *
 * Rounds alternate the tools (bench/rounds.ts). An epoch is 100 training steps plus a pass over
 * the 1,000 validation images (50 batches of 20), images resized to 150×150 (nearest) and cached
 * decoded, so epoch 1 decodes and the later ("steady") epochs do not:
 *   scratch: the lecture convnet, rescale 1/255, batch 20;
 *   augment: + dropout 0.5, rotation 40°, shifts/shear/zoom 0.2, horizontal flip, batch 32.
 * deeptype's record has the part-by-part breakdown (bench/epoch-probe.ts) of every epoch and its
 * training step and validation batch timed alone on the same images (their mean times, just
 * before the last epoch and just after it); the last epoch divided by (100 × step alone + 50 ×
 * validation batch alone) is what the epoch adds to its kernels.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Experiment, RECIPES, VALIDATION } from './epoch-recipes.js';
import { formatTable, writeRecord } from './harness.js';
import { type RunRecord, alternate, deeptypeTool, peerTools, ratios, spread } from './rounds.js';

const DATA = join(import.meta.dirname, '..', '..', 'shared', 'data', 'cats_and_dogs_small');

const { values } = parseArgs({
  options: {
    exp: { type: 'string', default: 'augment' },
    epochs: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '1' },
    peers: { type: 'string', default: '' },
    'keras-python': { type: 'string', default: process.env.KERAS_PYTHON ?? '' },
    'torch-workers': { type: 'string', default: '1' },
    out: { type: 'string' },
    child: { type: 'boolean', default: false },
  },
});
const experiment = values.exp as Experiment;
if (!(experiment in RECIPES)) throw new Error(`--exp must be ${Object.keys(RECIPES).join(' or ')}, got '${values.exp}'`);
const epochs = Number(values.epochs);
if (!existsSync(DATA)) throw new Error(`bench/epoch.ts needs the lecture's photos in ${DATA}`);

/** A run's steady epoch: the mean of the epochs after the first, which decodes. */
const steady = (r: RunRecord): number => {
  const later = (r.epochSeconds as number[]).slice(1);
  return later.reduce((s, v) => s + v, 0) / later.length;
};

type PhaseParts = Record<string, number>;
interface DeeptypeEpoch { train: PhaseParts; validation: PhaseParts }

/** The parts of each deeptype run's last epoch, per phase, as a table. */
function breakdown(runs: RunRecord[]): string {
  const last = runs.map((r) => (r.epochs as DeeptypeEpoch[]).at(-1)!);
  const rows: string[][] = [];
  for (const phase of ['train', 'validation'] as const) {
    const parts = Object.keys(last[0]![phase]).filter((p) => p !== 'wall').sort((a, b) => last[0]![phase][b]! - last[0]![phase][a]!);
    for (const part of ['wall', ...parts]) {
      rows.push([`${phase}: ${part === 'wall' ? 'whole phase' : part}`, spread(last.map((e) => e[phase][part] ?? 0), 0)]);
    }
  }
  const alone = (key: string): string => spread(runs.map((r) => r[key] as number), 1);
  rows.push(['training step alone', alone('trainStepMs')], ['validation batch alone', alone('validationBatchMs')]);
  return formatTable(['part', 'ms'], rows);
}

async function drive(): Promise<void> {
  if (epochs < 2) throw new Error('--epochs must be at least 2: the first epoch decodes, the later ones are the steady epoch');
  const args = ['--exp', experiment, '--epochs', String(epochs)];
  const peerArgs = [...args, '--data', DATA, '--threads', '2'];
  const tools = [deeptypeTool('epoch.ts', ['--child', ...args]), ...peerTools(values.peers.split(',').filter(Boolean), {
    keras: { script: 'keras_epoch.py', args: peerArgs },
    torch: { script: 'torch_epoch.py', args: [...peerArgs, '--workers', values['torch-workers']] },
  }, values['keras-python'])];
  const rounds = Number(values.rounds);
  const records = alternate(tools, rounds, (r) => `${(r.epochSeconds as number[]).map((s) => s.toFixed(1)).join(', ')} s per epoch`);

  const rows = tools.map(({ name }) => {
    const runs = records.filter((r) => r.tool === name);
    return [`${name} ${runs[0]!.version}`, spread(runs.map((r) => (r.epochSeconds as number[])[0]!)), spread(runs.map(steady)),
      name === 'deeptype' ? '' : ratios(records, name, steady)];
  });
  const table = formatTable(['tool', 'epoch 1 s (decodes)', 'steady epoch s', 'deeptype ÷ tool, per round'], rows);
  const ours = records.filter((r) => r.tool === 'deeptype');
  const overKernels = spread(ours.map((r) => r.overKernels as number), 3);
  const parts = breakdown(ours);
  console.log(`\n${experiment}: median (min–max) over ${rounds} rounds\n${table}`);
  console.log(`deeptype last epoch ÷ (its steps and validation batches timed alone, before and after it): ${overKernels}`);
  console.log(`\ndeeptype's last epoch, part by part, median (min–max) ms over the rounds:\n${parts}`);
  const out = values.out ?? join(import.meta.dirname, 'results', `epoch-${experiment}.json`);
  writeRecord(out, { experiment, recipe: RECIPES[experiment], validation: VALIDATION, epochs, rounds, table, overKernels, parts, records });
  console.log(`recorded in ${out}`);
}

if (values.child) {
  const { runDeeptype } = await import('./epoch-run.js');
  const record = await runDeeptype(DATA, experiment, epochs);
  process.stdout.write(`\n${JSON.stringify(record)}\n`);
} else {
  await drive();
}
