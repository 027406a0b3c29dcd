import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeRunReport } from '../../src/cli/run-report.js';
import type { RunInfo } from '../../src/cli/run-folder.js';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import { clearSession } from '../../src/models/naming.js';
import { setSeed } from '../../src/tensor/random.js';
import { pngSize } from '../helpers/visualize.js';
import { tempDir, tinyDataset } from './helpers.js';

test('the run report shows each misclassified image again with the Grad-CAM heatmap of the class predicted', async (t) => {
  const dir = tempDir(t);
  const data = await tinyDataset(join(dir, 'data'), 2);
  clearSession();
  setSeed(1);
  const model = sequential([
    layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [64, 64, 3] }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.flatten(),
    layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
  // A strong positive bias: every image is called a dog, so both validation cats are wrong.
  const dense = model.layers[3]!;
  dense.setWeights([dense.getWeights()[0]!.f32.map((v) => v * 0.01), Float32Array.of(5)]);
  const run: RunInfo = { kind: 'lecture', classIndices: { cats: 0, dogs: 1 }, imageSize: [64, 64], preprocessing: 'rescale',
    data, settings: {}, phases: [], backend: 'js', seconds: 0, interrupted: false, final: {} };
  const log = console.log;
  console.log = () => {};
  try {
    const scores = await writeRunReport(dir, model, run, { validationDir: join(data, 'validation'), batchSize: 4, summary: '', hasHistoryImage: false });
    assert.deepEqual(scores.confusion, [[0, 2], [0, 2]]);
  } finally {
    console.log = log;
  }
  // Two 64×64 images in a row, 4 px apart and around, in both grids.
  assert.deepEqual(await pngSize(join(dir, 'misclassified.png')), [140, 72]);
  assert.deepEqual(await pngSize(join(dir, 'misclassified-gradcam.png')), [140, 72]);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.match(html, /<img src="misclassified-gradcam\.png" alt="Grad-CAM overlays/);
});
