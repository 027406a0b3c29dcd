import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { flowImagesFromDirectory } from '../../src/data/directory-iterator.js';
import { imageDataGenerator } from '../../src/data/image-data-generator.js';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import { clearSession } from '../../src/models/naming.js';
import { callbacks } from '../../src/training/callbacks/index.js';
import { optimizers } from '../../src/optimizers/index.js';
import { randomUniform, tensor, zeros } from '../../src/tensor/create.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { extractFeatures } from '../../src/training/extract-features.js';
import { captureConsole, tempDir, writeImage } from '../data/fixtures.js';

function convnet() {
  clearSession();
  const model = sequential([
    layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [8, 8, 3] }),
    layers.flatten(),
    layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['acc'] });
  return model;
}

const images = (n: number): Tensor => randomUniform([n, 8, 8, 3], 0, 1, { seed: n });
const labels = (n: number): Tensor => tensor(Array.from({ length: n }, (_, i) => [i % 2]), [n, 1]);

test('a wrong input shape names the layer, the expected and the received shape', async () => {
  const model = convnet();
  const x = zeros([4, 28, 28, 1]);
  const y = zeros([4, 1]);
  const message = /conv2d_1 \(the model's first layer\) expects input of shape \(None, 8, 8, 3\), but x has shape \(None, 28, 28, 1\)/;
  await assert.rejects(model.fit(x, y, { verbose: 0 }), message);
  await assert.rejects(model.evaluate(x, y), message);
  await assert.rejects(model.predict(x), message);
});

test('a layer called with another shape than it was built for names itself and both shapes', () => {
  clearSession();
  const dense = layers.dense({ units: 3 });
  dense.apply(zeros([2, 4]));
  assert.throws(() => dense.apply(zeros([2, 5])), /dense_1 \(Dense\): expected input of shape \(None, 4\), got \(None, 5\) \(batch of 2\)$/);
});

test('x and y of different lengths: both counts in the error', async () => {
  const model = convnet();
  await assert.rejects(model.fit(randomUniform([5, 8, 8, 3]), zeros([4, 1]), { verbose: 0 }),
    /x and y must have the same number of samples, but x has 5 and y has 4/);
});

test('unknown loss, optimizer and metric names list the valid ones', () => {
  const model = convnet();
  assert.throws(() => model.compile({ optimizer: 'nadam', loss: 'mse' }), /unknown optimizer 'nadam'; valid names are rmsprop, adam, adam_w, sgd/);
  assert.throws(() => model.compile({ optimizer: 'sgd', loss: 'hinge' }), /unknown loss 'hinge'; valid names are binary_crossentropy, categorical_crossentropy/);
  assert.throws(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['f1_score'] }), /unknown metric 'f1_score'; valid names are binary_accuracy, categorical_accuracy, sparse_categorical_accuracy, auc, precision, recall/);
});

test('names work in camelCase and snake_case', () => {
  const model = convnet();
  model.compile({ optimizer: 'RMSprop', loss: 'binaryCrossentropy', metrics: ['binary_accuracy', 'accuracy'] });
  assert.deepEqual(model.compiled!.metrics.map((m) => m.name), ['binary_accuracy', 'acc']);
});

test('fit before compile is a clear error', async () => {
  clearSession();
  const model = sequential([layers.dense({ units: 1, inputShape: [2] })]);
  await assert.rejects(model.fit(tensor([[1, 2]]), tensor([[1]])),
    { message: 'sequential_1: call compile({ optimizer, loss, metrics }) before fit()' });
  await assert.rejects(model.evaluate(tensor([[1, 2]]), tensor([[1]])),
    { message: 'sequential_1: call compile({ optimizer, loss, metrics }) before evaluate()' });
});

test('bad layer arguments are refused with the argument named', () => {
  assert.throws(() => layers.conv2d({ filters: 0, kernelSize: 3 }), /filters must be a positive integer, got 0/);
  assert.throws(() => layers.conv2d({ filters: 2, kernelSize: 3, padding: 'full' as 'same' }), /padding must be 'valid' or 'same', got 'full'/);
  assert.throws(() => layers.dense({ units: 2, activation: 'mish' as 'relu' }), /unknown activation 'mish'/);
  assert.throws(() => layers.dropout({ rate: 1 }), /rate must be in \[0, 1\), got 1/);
});

test('NaN in the input: the loss shows nan, terminateOnNaN stops, and no checkpoint is saved from NaN weights', async (t) => {
  const model = convnet();
  const x = randomUniform([4, 8, 8, 3], 0, 1, { seed: 1 });
  x.f32[5] = NaN;
  const dir = mkdtempSync(join(tmpdir(), 'deeptype-nan-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const checkpoint = join(dir, 'model.h5');
  const printed: string[] = [];
  const stream = Object.assign(new PassThrough(), { isTTY: false });
  stream.on('data', (chunk: Buffer) => printed.push(chunk.toString()));
  const warnings: string[] = [];
  t.mock.method(console, 'warn', (...a: unknown[]) => warnings.push(a.join(' ')));
  const logs: string[] = [];
  t.mock.method(console, 'log', (...a: unknown[]) => logs.push(a.join(' ')));
  const history = await model.fit(x, zeros([4, 1]), {
    epochs: 3, batchSize: 4, verbose: 0,
    callbacks: [callbacks.terminateOnNaN(), callbacks.modelCheckpoint({ filepath: checkpoint }), callbacks.progressLogger({ stream, verbose: 2 })],
  });
  assert.equal(history.epoch.length, 1, 'stopped in the first epoch');
  assert.ok(Number.isNaN(history.history.loss![0]), 'relu passed the NaN on to the loss');
  assert.match(printed.join(''), /Epoch 1\/3\n - \d+s - loss: nan - acc: /);
  assert.deepEqual(logs, ['Batch 0: Invalid loss, terminating training']);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^modelCheckpoint: not saving to .*model\.h5: weight '.*' holds NaN or infinite values/);
  assert.ok(!existsSync(checkpoint));
});

/** Bad values for fit, evaluate and predict's arguments: each is refused before any step, naming the argument and the value. */
const badCalls: [string, (m: ReturnType<typeof convnet>) => Promise<unknown>, RegExp][] = [
  ['epochs -1', (m) => m.fit(images(4), labels(4), { epochs: -1 }), /fit: epochs must be a positive integer, got -1$/],
  ['epochs NaN', (m) => m.fit(images(4), labels(4), { epochs: NaN }), /fit: epochs must be a positive integer, got NaN$/],
  ['epochs 1.5', (m) => m.fit(images(4), labels(4), { epochs: 1.5 }), /fit: epochs must be a positive integer, got 1\.5$/],
  ['epochs as a string', (m) => m.fit(images(4), labels(4), { epochs: '3' as unknown as number }), /fit: epochs must be a positive integer, got '3'$/],
  ['initialEpoch past epochs', (m) => m.fit(images(4), labels(4), { epochs: 2, initialEpoch: 2 }),
    /fit: initialEpoch must be an integer in \[0, epochs\) = \[0, 2\), got 2$/],
  ['batchSize 0', (m) => m.fit(images(4), labels(4), { batchSize: 0 }), /fit: batchSize must be a positive integer, got 0$/],
  ['batchSize 2.5 in evaluate', (m) => m.evaluate(images(4), labels(4), { batchSize: 2.5 }), /evaluate: batchSize must be a positive integer, got 2\.5$/],
  ['verbose 3', (m) => m.fit(images(4), labels(4), { verbose: 3 as 1 }), /fit: verbose must be 0, 1 or 2, got 3$/],
  ['stepsPerEpoch with arrays', (m) => m.fit(images(4), labels(4), { stepsPerEpoch: 10 }),
    /fit: stepsPerEpoch counts the batches of an iterator; with arrays, set batchSize instead$/],
  ['validationSteps with array validation data', (m) => m.fit(images(4), labels(4), { validationData: [images(2), labels(2)], validationSteps: 3 }),
    /fit: validationData: validationSteps counts the batches of an iterator/],
  ['steps in evaluate with arrays', (m) => m.evaluate(images(4), labels(4), { steps: 2 }), /evaluate: steps counts the batches of an iterator/],
  ['validationSplit 1.5', (m) => m.fit(images(4), labels(4), { validationSplit: 1.5 }), /validationSplit must be in \(0, 1\), got 1\.5/],
  ['fit on 0 samples', (m) => m.fit(images(0), labels(0)), /fit: x has no samples \(shape \[0, 8, 8, 3\]\)$/],
  ['evaluate on 0 samples', (m) => m.evaluate(images(0), labels(0)), /evaluate: x has no samples/],
  ['predict on 0 samples', (m) => m.predict(images(0)), /predict: x has no samples/],
  ['predict of a plain []', (m) => m.predict([] as unknown as Tensor), /predict: x must be a Tensor or a batch iterator, got an array \(make one with tensor\(…\)\)$/],
  ['fit on an empty iterator', (m) => m.fit({ samples: 0, batchSize: 2, next: async () => [images(0), labels(0)] }), /fit: the iterator has no samples$/],
  ['binary labels of 2 (three classes)', (m) => m.fit(images(4), tensor([[0], [1], [2], [1]]), { verbose: 0, shuffle: false }),
    /binaryCrossentropy: label 2 at index 2 is outside \[0, 1\]; binary labels are 0 or 1 \(more than two class folders/],
  ['a NaN label', (m) => m.evaluate(images(2), tensor([[NaN], [1]])), /binaryCrossentropy: label NaN at index 0 is outside \[0, 1\]/],
];
for (const [name, call, message] of badCalls) {
  test(`bad argument: ${name}`, async () => {
    const model = convnet();
    const before = model.weights.map((w) => w.value.f32.slice());
    await assert.rejects(call(model), message);
    model.weights.forEach((w, i) => assert.deepEqual(w.value.f32, before[i], `${w.name} untouched`));
  });
}

test('optimizer settings of the wrong type or range are refused where given, naming the setting', () => {
  assert.throws(() => optimizers.rmsprop({ learningRate: '0.001' as unknown as number }), /^Error: RMSprop: learningRate must be a positive number, got '0\.001' \(a string\)$/);
  assert.throws(() => optimizers.adam({ lr: Infinity }), /Adam: learningRate must be a positive number, got Infinity/);
  assert.throws(() => optimizers.sgd({ momentum: -1 }), /SGD: momentum must be a number in \[0, 1\), got -1/);
  assert.throws(() => optimizers.rmsprop({ rho: 1.5 }), /RMSprop: rho must be a number in \[0, 1\), got 1\.5/);
  assert.throws(() => optimizers.adam({ beta2: 1 }), /Adam: beta2 must be a number in \[0, 1\), got 1/);
  assert.throws(() => optimizers.adam({ decay: -0.1 }), /Adam: decay must be a number >= 0, got -0\.1/);
});

test('a kernel or pool window larger than its input fails when the layer is added, as in Keras, naming the layer', () => {
  clearSession();
  assert.throws(() => sequential([layers.conv2d({ filters: 2, kernelSize: 5, inputShape: [3, 3, 1] })]),
    /^Error: conv2d_1 \(Conv2D\): a window of 5 does not fit an input of 3 with 'valid' padding \(the output would have 0 pixels\)/);
  assert.throws(() => sequential([layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [3, 3, 1] }), layers.maxPooling2d({ poolSize: 2 })]),
    /max_pooling2d_1 \(MaxPooling2D\): a window of 2 does not fit an input of 1/);
  const same = sequential([layers.conv2d({ filters: 2, kernelSize: 5, padding: 'same', inputShape: [3, 3, 1] })]);
  assert.deepEqual(same.outputShape, [null, 3, 3, 2], "'same' padding fits any input");
});

test('models nested past 100 levels are refused at the 101st, before calling them could exhaust the stack', () => {
  clearSession();
  let model = sequential([layers.dense({ units: 1, inputShape: [2] })]);
  for (let i = 0; i < 99; i++) model = sequential([model]);
  assert.equal(model.nesting, 100);
  assert.throws(() => sequential([model]), /sequential_101: models nested 101 deep \(through sequential_100\); at most 100 levels are supported/);
});

test('an iterator without labels cannot train: the message says why', async () => {
  const model = convnet();
  await assert.rejects(model.fit({ samples: 2, batchSize: 2, next: async (): Promise<[Tensor, null]> => [images(2), null] }, { verbose: 0 }),
    /fit: the data has no labels \(an iterator with classMode null cannot train or evaluate\)/);
});

test('validation classes that differ from the training classes are named in a warning', async (t) => {
  const model = convnet();
  const warnings: string[] = [];
  t.mock.method(console, 'warn', (...a: unknown[]) => warnings.push(a.join(' ')));
  const iterator = (classIndices: Record<string, number>) => ({ samples: 2, batchSize: 2, classIndices, next: async () => [images(2), labels(2)] as [Tensor, Tensor] });
  await model.fit(iterator({ cats: 0, dogs: 1 }), { verbose: 0, validationData: iterator({ cat: 0, dog: 1 }) });
  assert.deepEqual(warnings, ['fit: the validation classes (cat, dog) differ from the training classes (cats, dogs); ' +
    'labels are class indices, so validation images would be scored against other classes']);
});

test('evaluate, predict and extractFeatures see each readable image once when a whole batch is unreadable', async (t) => {
  const { warnings } = captureConsole(t);
  const dir = tempDir(t);
  const files = { a: ['a1.png', 'a2.png'], b: ['b1.png', 'b2.png', 'b3.png'] };
  for (const [cls, names] of Object.entries(files)) {
    mkdirSync(join(dir, cls));
    for (const [i, name] of names.entries()) await writeImage(join(dir, cls, name), 8, 8, { r: 40 * i, g: 200 - 60 * i, b: 90 });
  }
  const flow = (batchSize = 2) => flowImagesFromDirectory(dir, imageDataGenerator({ rescale: 1 / 255 }),
    { targetSize: [8, 8], batchSize, shuffle: false, classMode: 'binary', classes: ['a', 'b'] });
  const it = flow();
  // Batches [a1, a2], [b1, b2], [b3]: the first becomes unreadable after listing.
  for (const name of files.a) rmSync(join(dir, 'a', name));
  const [x, y] = await flow(3).next();
  assert.deepEqual(x.shape, [3, 8, 8, 3], 'the three readable images, labelled b');
  assert.deepEqual(Array.from(y!.data), [1, 1, 1]);

  const model = convnet();
  const fromArrays = await model.evaluate(x, tensor([[1], [1], [1]], [3, 1]), { verbose: 0 });
  const fromIterator = await model.evaluate(it, { verbose: 0 });
  assert.ok(Math.abs(fromIterator.loss! - fromArrays.loss!) < 1e-6,
    `iterator loss ${fromIterator.loss} vs ${fromArrays.loss}: an image counted twice would move it`);
  const predicted = await model.predict(flow(), { verbose: 0 });
  assert.deepEqual(Array.from(predicted.f32), Array.from((await model.predict(x)).f32));

  const { features, labels } = await extractFeatures(model, flow(), { verbose: false });
  assert.deepEqual(features.shape, [3, 1], 'no image taken twice to make up the five listed');
  assert.deepEqual(Array.from(labels.data), [1, 1, 1]);
  assert.deepEqual(Array.from(features.f32), Array.from(predicted.f32));
  assert.ok(warnings.some((w) => w.includes('a1.png')));
});
