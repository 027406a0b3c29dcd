import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { inspectKerasFile } from '../../src/io/inspect.js';
import { loadModel } from '../../src/io/load-model.js';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import { clearSession } from '../../src/models/naming.js';
import { optimizers } from '../../src/optimizers/index.js';
import type { Sequential } from '../../src/models/sequential.js';
import { randomUniform } from '../../src/tensor/create.js';
import { setSeed } from '../../src/tensor/random.js';
import { callbacks } from '../../src/training/callbacks/index.js';
import { formatPath } from '../../src/training/callbacks/model-checkpoint.js';

test('formatPath fills Python-style fields as R keras users write them', () => {
  const values = { epoch: 3, val_loss: 0.41234, loss: 1.5e-5, acc: 0.9 };
  assert.equal(formatPath('weights.{epoch:02d}-{val_loss:.2f}.hdf5', values), 'weights.03-0.41.hdf5');
  assert.equal(formatPath('m{epoch}_{acc}_{loss:.2e}.h5', values), 'm3_0.9_1.50e-05.h5');
  assert.equal(formatPath('{epoch:03d}-{val_acc:.2f}.h5', values, true), '003-nan.h5');
  assert.throws(() => formatPath('{val_acc:.2f}.h5', values), /uses \{val_acc\}, which is not in the logs \(epoch, val_loss, loss, acc\)/);
  assert.throws(() => formatPath('{loss:>10s}.h5', values), /format '\{:>10s\}' .* is not supported/);
});

test('modelCheckpoint saves every epoch, or only improvements; each file holds the weights of its epoch', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'deeptype-ckpt-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const build = (): Sequential => {
    clearSession();
    setSeed(9);
    const m = sequential([layers.dense({ units: 1, activation: 'sigmoid', inputShape: [3] })]);
    // A large rate makes val_loss go down and up: best.h5 is written at epochs 1 and 3 only.
    m.compile({ optimizer: optimizers.sgd({ learningRate: 2 }), loss: 'binary_crossentropy' });
    return m;
  };
  const model = build();
  const x = randomUniform([8, 3], 0, 1, { seed: 1 });
  const y = randomUniform([8, 1], 0, 1, { seed: 2 });
  // Validation on data unrelated to training.
  const xv = randomUniform([8, 3], 0, 1, { seed: 3 });
  const yv = randomUniform([8, 1], 0, 1, { seed: 4 });
  const all = callbacks.modelCheckpoint({ filepath: join(dir, 'all.{epoch:02d}.h5') });
  const best = callbacks.modelCheckpoint({ filepath: join(dir, 'best.h5'), saveBestOnly: true, saveWeightsOnly: true, verbose: 1 });
  const epochWeights: Float32Array[][] = [];
  const snapshot = { onEpochEnd: () => void epochWeights.push(model.getWeights().map((w) => w.f32.slice())) };
  const lines: string[] = [];
  t.mock.method(console, 'log', (line: string) => lines.push(line));
  const history = await model.fit(x, y, { epochs: 4, batchSize: 4, verbose: 0, validationData: [xv, yv], callbacks: [snapshot, all, best] });
  const files = readdirSync(dir).sort();
  assert.deepEqual(files, ['all.01.h5', 'all.02.h5', 'all.03.h5', 'all.04.h5', 'best.h5']);
  assert.equal((await inspectKerasFile(join(dir, 'best.h5'))).kind, 'weights');
  for (const [epoch, weights] of epochWeights.entries()) {
    const saved = await loadModel(join(dir, `all.0${epoch + 1}.h5`));
    assert.deepEqual(saved.getWeights().map((w) => w.f32), weights, `all.0${epoch + 1}.h5`);
  }

  const valLoss = history.history.val_loss!;
  const improved = valLoss.map((v, i) => v < Math.min(Infinity, ...valLoss.slice(0, i)));
  assert.deepEqual(improved, [true, false, true, false], `val_loss ${valLoss}`);
  assert.deepEqual(lines.map((l) => /improved from/.test(l)), improved);
  assert.match(lines[0]!, /Epoch 00001: val_loss improved from inf to \d\.\d{5}, saving model to .*best\.h5/);
  const reloaded = build();
  await reloaded.loadWeights(join(dir, 'best.h5'));
  assert.deepEqual(reloaded.getWeights().map((w) => w.f32), epochWeights[2], "best.h5 holds epoch 3's weights");
});
