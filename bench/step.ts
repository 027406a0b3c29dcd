/**
 * Model A's training step and inference (batch 20 by default) beside Keras 3's, in alternating
 * rounds (bench/rounds.ts), each tool in a fresh process on the same random images:
 *
 *   npx tsx bench/step.ts [--batch 20] [--steps 10] [--rounds 5] [--peers keras]
 *     [--keras-python <venv>/bin/python] [--out bench/results/step.json]
 *
 * deeptype's side is bench/models.ts's runModelA (what `npm run bench -- --models` prints);
 * Keras's is bench/peers/keras_step.py (train_on_batch and predict_on_batch).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setBackend } from '../src/backend/index.js';
import { packageVersion } from '../src/package-root.js';
import { formatTable, writeRecord } from './harness.js';
import { runModelA } from './models.js';
import { type RunRecord, alternate, deeptypeTool, peerTools, ratios, spread } from './rounds.js';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '20' },
    steps: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '1' },
    peers: { type: 'string', default: '' },
    'keras-python': { type: 'string', default: process.env.KERAS_PYTHON ?? '' },
    out: { type: 'string' },
    child: { type: 'boolean', default: false },
  },
});
const args = ['--batch', values.batch, '--steps', values.steps];

if (values.child) {
  setBackend('native');
  const figures = await runModelA(Number(values.batch), Number(values.steps), false, () => {});
  process.stdout.write(`\n${JSON.stringify({ tool: 'deeptype', version: `${packageVersion} (native backend)`, ...figures })}\n`);
} else {
  const tools = [deeptypeTool('step.ts', ['--child', ...args]),
    ...peerTools(values.peers.split(',').filter(Boolean), { keras: { script: 'keras_step.py', args: [...args, '--threads', '2'] } },
      values['keras-python'])];
  const rounds = Number(values.rounds);
  const records = alternate(tools, rounds, (r) => `step ${(r.trainMs as number).toFixed(1)} ms, inference ${(r.inferMs as number).toFixed(1)} ms`);
  const figure = (key: string) => (r: RunRecord): number => r[key] as number;
  const rows = tools.map(({ name }) => {
    const runs = records.filter((r) => r.tool === name);
    const ours = name === 'deeptype';
    return [`${name} ${runs[0]!.version}`, spread(runs.map(figure('trainMs'))), spread(runs.map(figure('inferMs'))),
      ours ? '' : ratios(records, name, figure('trainMs')), ours ? '' : ratios(records, name, figure('inferMs'))];
  });
  const table = formatTable(['tool', 'training step ms', 'inference ms', 'deeptype ÷ tool: step', 'inference'], rows);
  console.log(`\nmodel A, batch ${values.batch}: median (min–max) over ${rounds} rounds\n${table}`);
  const out = values.out ?? join(import.meta.dirname, 'results', 'step.json');
  writeRecord(out, { batch: Number(values.batch), steps: Number(values.steps), rounds, table, records });
  console.log(`recorded in ${out}`);
}
