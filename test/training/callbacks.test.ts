import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Writable } from 'node:stream';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import { optimizers } from '../../src/optimizers/index.js';
import { tensor } from '../../src/tensor/create.js';
import { setSeed } from '../../src/tensor/random.js';
import { EarlyStopping } from '../../src/training/callbacks/early-stopping.js';
import { formatBar, formatEta, formatMetric, formatPerStep } from '../../src/training/callbacks/format.js';
import { ProgressLogger } from '../../src/training/callbacks/progress.js';
import { TerminateOnNaN } from '../../src/training/callbacks/terminate-on-nan.js';
import { barsDataset } from '../../src/data/synthetic-bars.js';

function tinyModel() {
  return sequential([layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })]);
}

test('Keras progress formatting', () => {
  assert.equal(formatBar(1, 100), '  1/100 [..............................]');
  assert.equal(formatBar(50, 100), ' 50/100 [==============>...............]');
  assert.equal(formatBar(100, 100), '100/100 [==============================]');
  assert.equal(formatEta(45), '45s');
  assert.equal(formatEta(65), '1:05');
  assert.equal(formatEta(3665), '1:01:05');
  assert.equal(formatPerStep(0.118), '118ms/step');
  assert.equal(formatPerStep(2), '2s/step');
  assert.equal(formatMetric(0.69064), '0.6906');
  assert.equal(formatMetric(0.0001234), '1.2340e-04');
  assert.equal(formatMetric(NaN), 'nan');
});

test('the progress logger prints the epoch header and the final Keras line', async () => {
  setSeed(3);
  const data = barsDataset({ samples: 40, size: 8, seed: 3 });
  const model = sequential([layers.flatten({ inputShape: [8, 8, 1] }), layers.dense({ units: 1, activation: 'sigmoid' })]);
  model.compile({ optimizer: 'rmsprop', loss: 'binary_crossentropy', metrics: ['acc'] });
  let text = '';
  const stream = new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } });
  await model.fit(data.x, data.y, { epochs: 2, batchSize: 10, verbose: 0, validationSplit: 0.25,
    callbacks: [new ProgressLogger({ stream, verbose: 1 })] });
  const lines = text.trim().split('\n');
  assert.equal(lines[0], 'Train on 30 samples, validate on 10 samples');
  assert.equal(lines[1], 'Epoch 1/2');
  assert.match(lines[2]!, /^30\/30 \[==============================\] - \d+s \d+(ms|us)\/step - loss: \d\.\d{4} - acc: \d\.\d{4} - val_loss: \d\.\d{4} - val_acc: \d\.\d{4}$/);
  assert.equal(lines[3], 'Epoch 2/2');
});

test('earlyStopping with restoreBestWeights puts back the best epoch’s weights', async () => {
  setSeed(5);
  const x = tensor([[0, 1], [1, 0], [1, 1], [0, 0]]);
  const y = tensor([[1], [0], [1], [0]]);
  const model = tinyModel();
  model.compile({ optimizer: optimizers.sgd({ learningRate: 0.5 }), loss: 'binaryCrossentropy' });
  // A scripted monitored value: best at epoch 1 (0-based), then two epochs without improvement.
  const script = [5, 3, 3.5, 4, 1, 1];
  const snapshots: number[][] = [];
  const recorder = { onEpochEnd: (epoch: number, logs: Record<string, number>) => {
    logs.scripted = script[epoch]!;
    snapshots.push(Array.from(model.weights[0]!.value.data));
  } };
  const stopper = new EarlyStopping({ monitor: 'scripted', patience: 2, restoreBestWeights: true });
  const history = await model.fit(x, y, { epochs: 6, batchSize: 4, verbose: 0, shuffle: false, callbacks: [recorder, stopper] });
  assert.equal(stopper.stoppedEpoch, 3);
  assert.equal(history.epoch.length, 4);
  assert.notDeepEqual(snapshots[3], snapshots[1]);
  assert.deepEqual(Array.from(model.weights[0]!.value.data), snapshots[1]);
});

test('a NaN loss shows as nan and terminateOnNaN stops the run', async () => {
  const model = tinyModel();
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const x = tensor([[NaN, 1], [1, 1]]);
  const y = tensor([[1], [0]]);
  let text = '';
  const stream = new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } });
  const log = console.log;
  console.log = (...args: unknown[]) => { text += args.join(' ') + '\n'; };
  try {
    const h = await model.fit(x, y, { epochs: 5, batchSize: 1, shuffle: false, verbose: 0,
      callbacks: [new ProgressLogger({ stream, verbose: 1 }), new TerminateOnNaN()] });
    assert.equal(h.epoch.length, 1);
  } finally {
    console.log = log;
  }
  assert.match(text, /Batch 0: Invalid loss, terminating training/);
  assert.match(text, /loss: nan/);
});
