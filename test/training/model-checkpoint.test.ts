import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { inspectKerasFile } from '../../src/io/inspect.js';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import { clearSession } from '../../src/models/naming.js';
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

test('modelCheckpoint saves every epoch, or only improvements; weights-only files have the weights layout', async (t) => {
  clearSession();
  setSeed(9);
  const dir = mkdtempSync(join(tmpdir(), 'deeptype-ckpt-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const model = sequential([layers.dense({ units: 1, activation: 'sigmoid', inputShape: [3] })]);
  model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy' });
  const x = randomUniform([8, 3], 0, 1, { seed: 1 });
  const y = randomUniform([8, 1], 0, 1, { seed: 2 });
  // Validation on data unrelated to training: val_loss goes up on some epochs, so "best only" skips them.
  const xv = randomUniform([8, 3], 0, 1, { seed: 3 });
  const yv = randomUniform([8, 1], 0, 1, { seed: 4 });
  const all = callbacks.modelCheckpoint({ filepath: join(dir, 'all.{epoch:02d}.h5') });
  const best = callbacks.modelCheckpoint({ filepath: join(dir, 'best.h5'), saveBestOnly: true, saveWeightsOnly: true, verbose: 1 });
  const lines: string[] = [];
  t.mock.method(console, 'log', (line: string) => lines.push(line));
  const history = await model.fit(x, y, { epochs: 4, batchSize: 4, verbose: 0, validationData: [xv, yv], callbacks: [all, best] });
  const files = readdirSync(dir).sort();
  assert.deepEqual(files, ['all.01.h5', 'all.02.h5', 'all.03.h5', 'all.04.h5', 'best.h5']);
  assert.equal((await inspectKerasFile(join(dir, 'all.04.h5'))).kind, 'model');
  assert.equal((await inspectKerasFile(join(dir, 'best.h5'))).kind, 'weights');
  const valLoss = history.history.val_loss!;
  const improvements = valLoss.filter((v, i) => v < Math.min(Infinity, ...valLoss.slice(0, i))).length;
  assert.equal(lines.filter((l) => /improved from/.test(l)).length, improvements);
  assert.equal(lines.filter((l) => /did not improve/.test(l)).length, 4 - improvements);
  assert.match(lines[0]!, /Epoch 00001: val_loss improved from inf to \d\.\d{5}, saving model to .*best\.h5/);
});
