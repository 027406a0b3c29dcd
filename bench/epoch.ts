/**
 * The lecture's training epoch as a user runs it, on ../shared/data/cats_and_dogs_small, with
 * its time broken into parts, beside the same epoch in Keras 3 and PyTorch:
 *
 *   npx tsx bench/epoch.ts [--exp augment|scratch] [--epochs 3] [--rounds 3] [--peers keras,torch]
 *     [--keras-python /path/to/venv/bin/python] [--out bench/results/epoch-<exp>.json]
 *
 * Each round runs deeptype and each peer once, in a fresh process, in turn (the order rotates
 * from round to round so a slow spell of the shared machine does not always hit the same
 * tool). An epoch is `stepsPerEpoch` training steps plus a full pass over the 1,000 validation
 * images (50 batches of 20), images resized to 150×150 with nearest-neighbour, decoded images
 * cached, so epoch 1 decodes and the later ("steady") epochs do not.
 *   scratch: the lecture convnet, rescale 1/255, 100 steps × 20;
 *   augment: + dropout 0.5, rotation 40°, shifts/shear/zoom 0.2, horizontal flip, 100 steps × 32.
 * deeptype's record has the part-by-part breakdown (bench/epoch-probe.ts) of every epoch and its
 * training step and validation batch timed alone on the same images; the ratio of a steady
 * epoch to (steps × step alone + 50 × validation batch alone) is what the epoch adds to its kernels.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Experiment, type RunRecord, RECIPES, VALIDATION } from './epoch-recipes.js';
import { formatTable, writeRecord } from './harness.js';

const DATA = join(import.meta.dirname, '..', '..', 'shared', 'data', 'cats_and_dogs_small');
const PEERS = join(import.meta.dirname, 'peers');

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


/** The last line of a run's stdout, as JSON. */
function lastJson(stdout: string, what: string): RunRecord {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as RunRecord;
  } catch {
    throw new Error(`${what} printed no record; its output ended with:\n${stdout.slice(-2000)}`);
  }
}

interface Tool {
  name: string;
  run(): RunRecord;
}

function tools(): Tool[] {
  const list: Tool[] = [{
    name: 'deeptype',
    run: () => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'epoch.ts'), '--child', '--exp', experiment,
        '--epochs', String(epochs)], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'inherit'] });
      return lastJson(r.stdout, 'deeptype');
    },
  }];
  const wanted = values.peers.split(',').filter(Boolean);
  const common = ['--data', DATA, '--exp', experiment, '--epochs', String(epochs), '--threads', '2'];
  for (const peer of wanted) {
    if (peer === 'keras') {
      const python = values['keras-python'];
      const ok = python && spawnSync(python, ['-c', 'import tensorflow'], { stdio: 'ignore' }).status === 0;
      if (!ok) {
        console.log('keras: skipped: pass --keras-python with a virtualenv holding tensorflow-cpu ' +
          '(python3 -m venv <dir> && <dir>/bin/pip install tensorflow-cpu)');
        continue;
      }
      list.push({ name: 'keras', run: () => python3Run(python, 'keras_epoch.py', common, {}) });
    } else if (peer === 'torch') {
      if (spawnSync('/usr/bin/python3', ['-c', 'import torch, torchvision'], { stdio: 'ignore' }).status !== 0) {
        console.log('torch: skipped: apt-get install -y python3-torch python3-torchvision');
        continue;
      }
      // PyTorch's fastest configuration here: glibc keeps freed memory (see ../shared/bench/README.md).
      const env = { MALLOC_MMAP_MAX_: '0', MALLOC_TRIM_THRESHOLD_: '68719476736', MALLOC_TOP_PAD_: '536870912' };
      list.push({ name: 'torch', run: () => python3Run('/usr/bin/python3', 'torch_epoch.py', [...common, '--workers', values['torch-workers']], env) });
    } else throw new Error(`--peers takes keras and/or torch, got '${peer}'`);
  }
  return list;
}

function python3Run(python: string, script: string, args: string[], env: Record<string, string>): RunRecord {
  const r = spawnSync(python, [join(PEERS, script), ...args], {
    encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`${script} failed (exit ${r.status})\n${r.stdout.slice(-2000)}`);
  return lastJson(r.stdout, script);
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)]!;
const spread = (v: number[], digits = 1): string =>
  `${median(v).toFixed(digits)} (${Math.min(...v).toFixed(digits)}–${Math.max(...v).toFixed(digits)})`;
/** The mean of the epochs after the first (which decodes): a run's steady epoch. */
const steady = (r: RunRecord): number => {
  const later = r.epochSeconds.slice(1);
  return later.reduce((s, v) => s + v, 0) / later.length;
};

type PhaseParts = Record<string, number>;
interface DeeptypeEpoch { train: PhaseParts; validation: PhaseParts }

/** The parts of each run's last epoch, per phase, as table rows. */
function breakdown(runs: RunRecord[]): string {
  const last = runs.map((r) => (r.epochs as DeeptypeEpoch[]).at(-1)!);
  const rows: string[][] = [];
  for (const phase of ['train', 'validation'] as const) {
    const parts = [...new Set(last.flatMap((e) => Object.keys(e[phase])))];
    for (const part of parts.sort((a, b) => (a === 'wall' ? -1 : b === 'wall' ? 1 : last[0]![phase][b]! - last[0]![phase][a]!))) {
      rows.push([`${phase}: ${part === 'wall' ? 'whole phase' : part}`, spread(last.map((e) => e[phase][part] ?? 0), 0)]);
    }
  }
  const alone = (key: string): string => spread(runs.map((r) => r[key] as number), 1);
  rows.push(['training step alone', alone('trainStepMs')], ['validation batch alone', alone('validationBatchMs')]);
  return formatTable(['part', 'ms'], rows);
}

async function drive(): Promise<void> {
  const rounds = Number(values.rounds);
  if (epochs < 2) throw new Error('--epochs must be at least 2: the first epoch decodes, the later ones are the steady epoch');
  const list = tools();
  const records: RunRecord[] = [];
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < list.length; k++) {
      const tool = list[(k + round) % list.length]!;
      const t0 = performance.now();
      const record = tool.run();
      records.push({ ...record, round: round + 1 });
      console.log(`round ${round + 1}: ${tool.name} ${record.epochSeconds.map((s) => s.toFixed(1)).join(', ')} s per epoch ` +
        `(${((performance.now() - t0) / 1000).toFixed(0)} s with start-up)`);
    }
  }
  const byTool = new Map<string, RunRecord[]>();
  for (const r of records) byTool.set(r.tool, [...(byTool.get(r.tool) ?? []), r]);
  const dt = byTool.get('deeptype')!;
  const rows = [...byTool.entries()].map(([tool, runs]) => {
    const ratio = tool === 'deeptype' ? '' : spread(runs.map((r) => steady(dt.find((d) => d.round === r.round)!) / steady(r)), 2);
    return [`${tool} ${runs[0]!.version}`, spread(runs.map((r) => r.epochSeconds[0]!)), spread(runs.map(steady)), ratio];
  });
  const table = formatTable(['tool', 'epoch 1 s (decodes)', 'steady epoch s', 'deeptype ÷ tool (per round)'], rows);
  console.log(`\n${experiment}: median (min–max) over ${rounds} rounds\n${table}`);
  const overKernels = dt.map((r) => r.overKernels as number);
  console.log(`deeptype steady epoch ÷ (steps and validation batches timed alone): ${spread(overKernels, 3)}`);
  const parts = breakdown(dt);
  console.log(`\ndeeptype's last epoch, part by part, median (min–max) ms over the rounds:\n${parts}`);

  const out = values.out ?? join(import.meta.dirname, 'results', `epoch-${experiment}.json`);
  writeRecord(out, { experiment, recipe: RECIPES[experiment], validation: VALIDATION, epochs, rounds, table, parts, records });
  console.log(`recorded in ${out}`);
}

if (values.child) {
  const { runDeeptype } = await import('./epoch-run.js');
  const record = await runDeeptype(DATA, experiment, epochs);
  process.stdout.write(`\n${JSON.stringify(record)}\n`);
} else {
  await drive();
}
