import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { historyFrame } from '../../src/plot/history-frame.js';
import { plotHistory } from '../../src/plot/history.js';
import type { FitParams } from '../../src/training/callbacks/callback.js';
import type { History } from '../../src/training/history.js';

let dir = '';
before(async () => { dir = await mkdtemp(join(tmpdir(), 'deeptype-plot-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

const params: FitParams = {
  epochs: 0, steps: null, samples: 100, batchSize: 10, verbose: 0, doValidation: true, validationSamples: 50, metrics: ['loss', 'acc'],
};

/** An overfitting run: training keeps improving, validation stalls. */
function makeHistory(epochs: number): History {
  const e = Array.from({ length: epochs }, (_, i) => i);
  return {
    history: {
      loss: e.map((i) => 0.7 * Math.exp(-i / 6) + 0.02),
      acc: e.map((i) => 0.99 - 0.45 * Math.exp(-i / 5)),
      val_loss: e.map((i) => 0.6 - 0.02 * i + 0.002 * i * i),
      val_acc: e.map((i) => 0.72 - 0.2 * Math.exp(-i / 3)),
    },
    epoch: e,
    params: { ...params, epochs },
  };
}

const count = (text: string, pattern: string) => text.split(pattern).length - 1;

test('the SVG of a 12-epoch run shows both series, both facets and a loess curve per series', async () => {
  const file = join(dir, 'h12.svg');
  assert.equal(await plotHistory(makeHistory(12), file), file);
  const svg = await readFile(file, 'utf8');
  for (const label of ['>training<', '>validation<', '>loss<', '>acc<', '>epoch<']) assert.ok(svg.includes(label), `missing ${label}`);
  // loss is the top facet: its strip comes first.
  assert.ok(svg.indexOf('>loss<') < svg.indexOf('>acc<'));
  assert.ok(svg.includes('#F8766D') && svg.includes('#00BFC4'), 'ggplot hues');
  assert.equal(count(svg, 'class="mark-line role-mark'), 4, 'one smooth line per metric and series');
  assert.match(svg, /^<svg[^>]* width="640" height="480"/);
});

test('no smooth line under 10 epochs, nor with smooth: false', async () => {
  const short = await readFile(await plotHistory(makeHistory(9), join(dir, 'h9.svg')), 'utf8');
  assert.equal(count(short, 'class="mark-line role-mark'), 0);
  assert.ok(short.includes('class="mark-symbol role-mark'), 'the points are still drawn');
  const off = await readFile(await plotHistory(makeHistory(12), { file: join(dir, 'off.svg'), smooth: false }), 'utf8');
  assert.equal(count(off, 'class="mark-line role-mark'), 0);
});

test('the PNG has the requested size times scale (default 640×480 at 2×)', async () => {
  const a = await sharp(await plotHistory(makeHistory(12), join(dir, 'a.png'))).metadata();
  assert.deepEqual([a.format, a.width, a.height], ['png', 1280, 960]);
  const b = await sharp(await plotHistory(makeHistory(30), { file: join(dir, 'b.png'), width: 500, height: 700, scale: 1, theme: 'bw' })).metadata();
  assert.deepEqual([b.width, b.height], [500, 700]);
});

test('format option overrides the extension; writing leaves no temporary file', async () => {
  const sub = await mkdtemp(join(dir, 'atomic-'));
  const file = await plotHistory(makeHistory(3), { file: join(sub, 'plot.out'), format: 'png' });
  assert.equal((await sharp(file).metadata()).format, 'png');
  assert.deepEqual(await readdir(sub), ['plot.out']);
});

test('metrics are ordered by first appearance without val_, values keep 1-based epochs', () => {
  const h: History = { history: { val_loss: [1, 2], loss: [3, 4], val_acc: [0.5, 0.6] }, epoch: [4, 5], params };
  const frame = historyFrame(h);
  assert.deepEqual(frame.metrics, ['loss', 'acc']);
  assert.deepEqual(frame.epochs, [5, 6]);
  assert.deepEqual(frame.rows[0], { epoch: 5, value: 1, metric: 'loss', data: 'validation' });
});

test('bad input names what is wrong', async () => {
  const file = join(dir, 'bad.png');
  await assert.rejects(plotHistory({ history: {}, epoch: [], params }, file), /history is empty/);
  const short = makeHistory(5);
  short.history.val_acc = [0.1, 0.2];
  await assert.rejects(plotHistory(short, file), /metric 'val_acc' has 2 values but the history has 5 epochs/);
  await assert.rejects(plotHistory(makeHistory(5), { file, format: 'jpeg' as never }), /format must be 'png' or 'svg', got "jpeg"/);
  await assert.rejects(plotHistory(makeHistory(5), join(dir, 'plot.gif')), /cannot tell the format of .*plot\.gif/);
  await assert.rejects(plotHistory(makeHistory(5), { file, width: 90, height: 80 }), /pass a larger width or height/);
  await assert.rejects(plotHistory(makeHistory(5), { file, theme: 'dark' as never }), /theme must be 'default' or 'bw'/);
  assert.deepEqual((await readdir(dir)).filter((f) => f.startsWith('bad') || f.endsWith('.tmp')), []);
});
