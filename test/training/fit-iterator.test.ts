import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flowImagesFromData } from '../../src/data/array-iterator.js';
import { imageDataGenerator } from '../../src/data/image-data-generator.js';
import { barsDataset } from '../../src/data/synthetic-bars.js';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import { optimizers } from '../../src/optimizers/index.js';
import { setSeed } from '../../src/tensor/random.js';
import { Tensor } from '../../src/tensor/tensor.js';

function model() {
  setSeed(6);
  const m = sequential([
    layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [16, 16, 1] }),
    layers.maxPooling2d(),
    layers.flatten(),
    layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
  m.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'binary_crossentropy', metrics: ['acc'] });
  return m;
}

test('fit, evaluate and predict take iterators; default steps are ceil(samples / batchSize)', async () => {
  const train = barsDataset({ samples: 200, seed: 11 });
  const val = barsDataset({ samples: 50, seed: 12 });
  const m = model();
  const gen = imageDataGenerator({});
  let batches = 0;
  const history = await m.fit(flowImagesFromData(train.x, train.y, gen, { batchSize: 32, seed: 1 }), {
    epochs: 4, verbose: 0, validationData: flowImagesFromData(val.x, val.y, gen, { batchSize: 20, shuffle: false }),
    callbacks: [{ onBatchEnd: () => { batches++; } }],
  });
  assert.equal(batches, 4 * Math.ceil(200 / 32));
  assert.ok(history.history.val_acc!.at(-1)! > 0.9, `validation accuracy ${history.history.val_acc}`);
  const viaIterator = await m.evaluate(flowImagesFromData(val.x, val.y, gen, { batchSize: 20, shuffle: false }));
  const viaArrays = await m.evaluate(val.x, val.y, { batchSize: 20 });
  assert.ok(Math.abs(viaIterator.loss! - viaArrays.loss!) < 1e-5);
  const predicted = await m.predict(flowImagesFromData(val.x, null, gen, { batchSize: 20, shuffle: false }));
  const direct = await m.predict(val.x);
  assert.deepEqual(predicted.shape, [50, 1]);
  predicted.f32.forEach((p, i) => assert.ok(Math.abs(p - direct.f32[i]!) < 1e-6, 'outputs in iterator order'));
});

test('stepsPerEpoch and validationSteps bound the batches drawn', async () => {
  const data = barsDataset({ samples: 64, seed: 13 });
  const m = model();
  const gen = imageDataGenerator({});
  let drawn = 0;
  const iterator = flowImagesFromData(data.x, data.y, gen, { batchSize: 8 });
  const counting = { samples: iterator.samples, batchSize: iterator.batchSize,
    next: async (): Promise<[Tensor, Tensor | null]> => { drawn++; return iterator.next(); } };
  await m.fit(counting, { epochs: 2, stepsPerEpoch: 3, verbose: 0 });
  assert.equal(drawn, 6);
});
