// Saving mid-training and resuming: the same final weights as one uninterrupted run; Ctrl-C.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadModel } from '../../src/io/load-model.js';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import type { Model } from '../../src/models/model.js';
import { clearSession } from '../../src/models/naming.js';
import { type Optimizer, optimizers, schedules } from '../../src/optimizers/index.js';
import { randomUniform, tensor } from '../../src/tensor/create.js';
import { setSeed } from '../../src/tensor/random.js';
import { ModelCheckpoint } from '../../src/training/callbacks/model-checkpoint.js';
import { maxAbsDiff, tempDir } from './helpers.js';

const x = randomUniform([12, 6, 6, 2], 0, 1, { seed: 11 });
const y = tensor(randomUniform([12, 1], 0, 1, { seed: 12 }).f32.map((v) => (v > 0.5 ? 1 : 0)), [12, 1]);

function convnet(optimizer: Optimizer): Model {
  const model = sequential([
    layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 2] }),
    layers.flatten(),
    layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer, loss: 'binary_crossentropy', metrics: ['acc'] });
  return model;
}

const fit = (model: Model, epochs: number, initialEpoch = 0) =>
  model.fit(x, y, { epochs, initialEpoch, batchSize: 4, shuffle: false, verbose: 0 });

for (const [name, make] of [
  ['Adam', () => optimizers.adam({ learningRate: 0.01 })],
  ['RMSprop with decay', () => optimizers.rmsprop({ learningRate: 0.01, decay: 0.05 })],
  ['SGD with momentum', () => optimizers.sgd({ learningRate: 0.05, momentum: 0.9 })],
  ['AdamW with a cosine schedule', () => optimizers.adamW({ learningRate: schedules.cosineDecay({ initialLearningRate: 0.02, decaySteps: 10 }) })],
] as const) {
  test(`${name}: save after 2 epochs, load, fit({ initialEpoch: 2 }) ends where 4 uninterrupted epochs end`, async (t) => {
    clearSession();
    setSeed(21);
    const dir = tempDir(t);
    const model = convnet(make());
    await model.save(join(dir, 'start.h5'));
    const straight = await loadModel(join(dir, 'start.h5'));
    await fit(straight, 4);

    await fit(model, 2);
    await model.save(join(dir, 'half.h5'));
    const resumed = await loadModel(join(dir, 'half.h5'));
    assert.equal(resumed.compiled!.optimizer.iterations, 6);
    const history = await fit(resumed, 4, 2);
    assert.deepEqual(history.epoch, [2, 3]);
    resumed.weights.forEach((w, i) => {
      const d = maxAbsDiff(w.value.f32, straight.weights[i]!.value.f32);
      assert.ok(d <= 1e-6, `${w.name}: ${d}`);
    });
  });
}

test('Ctrl-C during fit: the step finishes, the checkpoint is written, fit returns; the listener is removed', async (t) => {
  clearSession();
  setSeed(22);
  const dir = tempDir(t);
  const model = convnet(optimizers.adam({ learningRate: 0.01 }));
  const listeners = process.listenerCount('SIGINT');
  let epochSeen = -1;
  const logged: string[] = [];
  t.mock.method(console, 'log', (line: string) => logged.push(line));
  const history = await model.fit(x, y, { epochs: 5, batchSize: 4, shuffle: false, verbose: 0, validationData: [x, y], callbacks: [
    new ModelCheckpoint({ filepath: join(dir, 'ckpt.{epoch:02d}-{val_loss:.2f}.h5') }),
    {
      onEpochBegin: (epoch: number) => { epochSeen = epoch; },
      onBatchEnd: (batch: number) => {
        assert.equal(process.listenerCount('SIGINT'), listeners + 1);
        if (epochSeen === 1 && batch === 0) process.emit('SIGINT');
      },
    },
  ] });
  assert.equal(process.listenerCount('SIGINT'), listeners);
  assert.deepEqual(history.epoch, [0], 'the interrupted epoch is not recorded as finished');
  assert.equal(model.compiled!.optimizer.iterations, 3 + 1, 'one step of epoch 2 ran, then fit stopped');
  const files = readdirSync(dir).sort();
  assert.equal(files.length, 2, `files: ${files.join(', ')} (no temporary file is left)`);
  assert.match(files[0]!, /^ckpt\.01-\d\.\d\d\.h5$/, 'the finished epoch, with its val_loss');
  assert.equal(files[1], 'ckpt.02-nan.h5', 'the interrupted epoch has no validation values');
  assert.match(logged.join('\n'), /Interrupted in epoch 2; saving model to .*ckpt\.02-nan\.h5 \(resume with initialEpoch: 1\)/);
  const saved = await loadModel(join(dir, 'ckpt.02-nan.h5'));
  saved.weights.forEach((w, i) => assert.deepEqual(w.value.f32, model.weights[i]!.value.f32));
  assert.equal(saved.compiled!.optimizer.iterations, 4);
});
