import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Writable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import type { Model } from '../../src/models/model.js';
import { type Optimizer, optimizers, schedules } from '../../src/optimizers/index.js';
import { pythonFloat } from '../../src/tensor/print.js';
import { callbacks } from '../../src/training/callbacks/index.js';
import { tempDir } from '../io/helpers.js';
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

/** A model whose loss falls every epoch: SGD at 0.1 on a separable pair of points. */
function fallingLossModel(optimizer: Optimizer) {
  setSeed(9);
  const model = tinyModel();
  model.compile({ optimizer, loss: 'binary_crossentropy' });
  return { model, x: tensor([[0, 1], [1, 0], [0.2, 0.9], [0.8, 0.1]]), y: tensor([[1], [0], [1], [0]]) };
}

function captureLog(t: { mock: { method: (o: object, m: string, f: (...a: unknown[]) => void) => unknown } }): string[] {
  const lines: string[] = [];
  t.mock.method(console, 'log', (line: unknown) => lines.push(String(line)));
  return lines;
}

test("reduceLROnPlateau: Keras 3's reductions, log lines and learning_rate history column", async (t) => {
  const { model, x, y } = fallingLossModel(optimizers.sgd({ learningRate: 0.1 }));
  const lines = captureLog(t);
  // In 'max' mode a falling loss never improves after the first epoch: patience 0 halves the rate each epoch.
  const history = await model.fit(x, y, { epochs: 4, batchSize: 4, verbose: 0,
    callbacks: [callbacks.reduceLROnPlateau({ monitor: 'loss', mode: 'max', patience: 0, factor: 0.5, verbose: 1 })] });
  // Keras 3.15 printed and recorded these for the same settings (the rate read back from float32).
  assert.deepEqual(history.history.learning_rate, [0.10000000149011612, 0.10000000149011612, 0.05000000074505806, 0.02500000037252903]);
  assert.deepEqual(lines, [2, 3, 4].map((e, i) => `\nEpoch ${e}: ReduceLROnPlateau reducing learning rate to ${[0.05000000074505806, 0.02500000037252903, 0.012500000186264515][i]}.`));
  assert.equal(model.compiled!.optimizer.learningRate, 0.012500000186264515);
});

test('reduceLROnPlateau: patience, cooldown, minDelta and minLr as Keras counts them', () => {
  const optimizer = optimizers.sgd({ learningRate: 0.1 });
  const cb = callbacks.reduceLROnPlateau({ monitor: 'loss', patience: 2, cooldown: 1, factor: 0.5, minLr: 0.02 });
  cb.model = { compiled: { optimizer } } as unknown as Model;
  cb.onTrainBegin();
  const rates = [1, 0.9, 0.95, 0.96, 0.97, 0.98, 0.8, 0.79995, 0.9, 0.9, 0.9, 0.9].map((loss, epoch) => {
    const logs: Record<string, number> = { loss };
    cb.onEpochEnd(epoch, logs);
    return logs.learning_rate;
  });
  const f = Math.fround;
  // Reduced after epochs 3 and 5 (two epochs without improvement, one of cooldown between), then
  // 0.79995 is within minDelta of 0.8, so epochs 7 and 8 reduce to the floor of 0.02 and stay there.
  assert.deepEqual(rates, [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, f(0.025), f(0.025), f(0.025), 0.02, 0.02, 0.02].map(f));
  assert.throws(() => callbacks.reduceLROnPlateau({ factor: 1 }), /reduceLROnPlateau: factor must be in \(0, 1\), got 1/);
  const scheduled = callbacks.reduceLROnPlateau({ monitor: 'loss', patience: 0 });
  scheduled.model = { compiled: { optimizer: optimizers.adam({ learningRate: schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 5, decayRate: 0.5 }) }) } } as unknown as Model;
  scheduled.onTrainBegin();
  scheduled.onEpochEnd(0, { loss: 1 });
  assert.throws(() => scheduled.onEpochEnd(1, { loss: 2 }), /reduceLROnPlateau: Adam: the learning rate follows the ExponentialDecay schedule/);
});

test("csvLogger writes Keras's file: epoch then sorted keys, Python floats, CRLF; append keeps the header", async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'log.csv');
  const { model, x, y } = fallingLossModel(optimizers.sgd({ learningRate: 0.1 }));
  const reduce = callbacks.reduceLROnPlateau({ monitor: 'loss', mode: 'max', patience: 0, factor: 0.5 });
  const history = await model.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0, validationData: [x, y], callbacks: [reduce, callbacks.csvLogger(file)] });
  const h = history.history;
  const rows = [0, 1, 2].map((e) => [e, pythonFloat(h.learning_rate![e]!), pythonFloat(h.loss![e]!), pythonFloat(h.val_loss![e]!)].join(','));
  assert.equal(readFileSync(file, 'utf8'), ['epoch,learning_rate,loss,val_loss', ...rows].map((r) => `${r}\r\n`).join(''));
  assert.equal(rows[0]!.split(',')[1], '0.10000000149011612');

  await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, callbacks: [callbacks.csvLogger(file, { append: true, separator: ';' })] });
  const lines = readFileSync(file, 'utf8').split('\r\n');
  assert.equal(lines.length, 6, 'header, three rows, the appended row, and the final empty string');
  assert.match(lines[4]!, /^0;\d\.\d+$/, 'epoch 0 of the second run: its own keys (loss only)');
  assert.equal(pythonFloat(1), '1.0');
  assert.equal(pythonFloat(1e-5), '1e-05');
  assert.equal(pythonFloat(NaN), 'nan');
});

test("learningRateScheduler: Keras 3's log lines and learning_rate column; NaN or negative rates stop fit naming the callback", async (t) => {
  const { model, x, y } = fallingLossModel(optimizers.sgd({ learningRate: 0.0125 }));
  const lines = captureLog(t);
  const seen: number[] = [];
  const history = await model.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0,
    callbacks: [callbacks.learningRateScheduler((epoch, lr) => { seen.push(epoch); return lr * 0.5; }, 1)] });
  // Keras 3.15 on lr 0.0125 with lr → lr · 0.5 (its rate lives in a float32 variable).
  const keras = [0.0062500000931322575, 0.0031250000465661287, 0.0015625000232830644];
  assert.deepEqual(seen, [0, 1, 2]);
  assert.deepEqual(history.history.learning_rate, keras);
  assert.deepEqual(lines, keras.map((v, e) => `\nEpoch ${e + 1}: LearningRateScheduler setting learning rate to ${v}.`));

  for (const [bad, shown] of [[NaN, 'NaN'], [-0.1, '-0.1'], ['0.1', '"0.1"']] as const) {
    const weights = model.getWeights().map((w) => w.f32.slice());
    await assert.rejects(model.fit(x, y, { epochs: 3, verbose: 0, callbacks: [callbacks.learningRateScheduler((e, lr) => (e === 1 ? bad as number : lr))] }),
      new RegExp(`learningRateScheduler at epoch 2: the schedule returned ${shown}; expected a finite learning rate >= 0`));
    assert.ok(model.getWeights().some((w, i) => w.f32.some((v, j) => v !== weights[i]![j])), 'epoch 1 trained before the error');
  }
  const scheduled = fallingLossModel(optimizers.sgd({ learningRate: schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10 }) }));
  await assert.rejects(scheduled.model.fit(scheduled.x, scheduled.y, { verbose: 0, callbacks: [callbacks.learningRateScheduler(() => 0.1)] }),
    /learningRateScheduler at epoch 1: SGD: the learning rate follows the CosineDecay schedule given at construction and cannot be set/);
});
