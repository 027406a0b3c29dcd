import assert from 'node:assert/strict';
import { test } from 'node:test';
import { squeezenet } from '../../src/applications/squeezenet.js';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import { clearSession } from '../../src/models/naming.js';
import { optimizers } from '../../src/optimizers/index.js';
import { rngFor, setSeed } from '../../src/tensor/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { classScoreGradient, gradCam } from '../../src/visualize/grad-cam.js';
import { heatmapImage, jet, overlayHeatmap } from '../../src/visualize/overlay.js';
import { randomTensor } from '../helpers/grad-check.js';
import { SQUEEZENET_WEIGHTS } from '../helpers/paths.js';

test('the class-score gradient Grad-CAM uses matches finite differences through the layers after the feature maps', () => {
  clearSession();
  setSeed(1);
  const model = sequential([
    layers.conv2d({ filters: 2, kernelSize: 3, activation: 'tanh', inputShape: [5, 5, 1] }),
    layers.flatten(),
    layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  const x = randomTensor([1, 5, 5, 1], 2);
  const { maps, grad, prediction } = classScoreGradient(model, x, 'conv2d_1', 2);
  assert.equal(prediction.length, 3);
  const score = (a: Float32Array): number => model.layers[2]!.apply(model.layers[1]!.apply(new Tensor(a, maps.shape))).f32[2]!;
  const eps = 1e-2;
  for (let i = 0; i < maps.size; i++) {
    const plus = maps.f32.slice();
    const minus = maps.f32.slice();
    plus[i]! += eps;
    minus[i]! -= eps;
    const numeric = (score(plus) - score(minus)) / (2 * eps);
    assert.ok(Math.abs(numeric - grad.f32[i]!) < 1e-3 + 1e-2 * Math.abs(numeric), `element ${i}: ${grad.f32[i]} vs ${numeric}`);
  }
  // Class 0 of a one-unit sigmoid is scored 1 − p: its gradient is the negated unit's.
  const binary = sequential([layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [5, 5, 1] }), layers.flatten(),
    layers.dense({ units: 1, activation: 'sigmoid' })]);
  const one = classScoreGradient(binary, x, binary.layers[0]!.name, 1).grad.f32;
  const zero = classScoreGradient(binary, x, binary.layers[0]!.name, 0).grad.f32;
  one.forEach((v, i) => assert.equal(zero[i], -v));
});

/** 16×16 noise with a bright 4×4 square in the top-left quadrant (label 1) or the bottom-right one (label 0). */
function quadrantImages(samples: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = rngFor(seed);
  const x = new Float32Array(samples * 256);
  const y = new Float32Array(samples);
  for (let s = 0; s < samples; s++) {
    y[s] = s % 2;
    for (let p = 0; p < 256; p++) x[s * 256 + p] = rng.uniform(0, 0.3);
    const [r0, c0] = y[s] ? [rng.int(5), rng.int(5)] : [8 + rng.int(5), 8 + rng.int(5)];
    for (let r = r0; r < r0 + 4; r++) for (let c = c0; c < c0 + 4; c++) x[s * 256 + r * 16 + c] = 1;
  }
  return { x: new Tensor(x, [samples, 16, 16, 1]), y: new Tensor(y, [samples, 1]) };
}

test('a trained convnet\'s Grad-CAM heatmap peaks in the quadrant holding the class evidence for at least 90% of test images', async () => {
  clearSession();
  setSeed(7);
  const model = sequential([
    layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [16, 16, 1] }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', name: 'last_conv' }),
    layers.globalAveragePooling2d(),
    layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'binaryCrossentropy', metrics: ['acc'] });
  const train = quadrantImages(200, 1);
  await model.fit(train.x, train.y, { epochs: 15, batchSize: 20, verbose: 0, seed: 2 });
  const test = quadrantImages(40, 3);
  let inside = 0;
  for (let s = 0; s < 40; s++) {
    const image = new Tensor(test.x.f32.slice(s * 256, (s + 1) * 256), [16, 16, 1]);
    const label = test.y.f32[s]!;
    const heat = await gradCam(model, image, { layer: 'last_conv', classIndex: label });
    assert.deepEqual([heat.height, heat.width, heat.classIndex], [8, 8, label]);
    const peak = heat.data.indexOf(Math.max(...heat.data));
    const [row, col] = [Math.floor(peak / 8), peak % 8];
    if (label === 1 ? row < 4 && col < 4 : row >= 4 && col >= 4) inside++;
  }
  assert.ok(inside >= 36, `${inside} of 40 heatmaps peak in the evidence's quadrant`);
});

test('Grad-CAM runs inside a Sequential nesting SqueezeNet with its ImageNet weights; the overlay blends with alpha 0.4', async () => {
  clearSession();
  setSeed(3);
  const base = await squeezenet({ weights: SQUEEZENET_WEIGHTS, inputShape: [64, 64, 3] });
  const model = sequential([base, layers.globalAveragePooling2d(), layers.dense({ units: 3, activation: 'softmax' })]);
  const photo = randomTensor([64, 64, 3], 4, 0, 255);
  const image = squeezenet.preprocessInput(photo);
  const heat = await gradCam(model, image, { layer: 'fire9/concat', classIndex: 1 });
  assert.deepEqual([heat.height, heat.width, heat.layer], [3, 3, 'fire9/concat']);
  assert.equal(Math.max(...heat.data), 1);
  assert.ok(heat.data.every((v) => v >= 0 && v <= 1));
  assert.equal(heat.prediction.length, 3);
  // Default layer: the last convolution (here a concatenation of two), found inside the nested base.
  assert.equal((await gradCam(model, image)).layer, 'fire9/concat');

  const overlay = overlayHeatmap(photo, heat);
  assert.deepEqual([overlay.width, overlay.height, overlay.channels], [64, 64, 3]);
  const colour = heatmapImage(heat, 64, 64).data;
  for (const i of [0, 1000, 12287]) assert.equal(overlay.data[i], Math.round(Math.min(255, photo.f32[i]! * 0.6 + colour[i]! * 0.4)));
  assert.deepEqual(jet(0), [0, 0, 128]);
  assert.deepEqual(jet(1), [128, 0, 0]);
  assert.deepEqual(jet(0.5), [128, 255, 128]);
});

test('Grad-CAM bad input: unknown layer, non-convolutional layer, class out of range, another image size', async () => {
  clearSession();
  const model = sequential([
    layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [6, 6, 1], name: 'c1' }),
    layers.flatten({ name: 'flat' }),
    layers.dense({ units: 3, activation: 'softmax', name: 'out' }),
  ]);
  const image = randomTensor([6, 6, 1], 1);
  await assert.rejects(gradCam(model, image, { layer: 'nope' }), /no layer named 'nope'; its layers are c1, flat, out/);
  await assert.rejects(gradCam(model, image, { layer: 'flat' }), /layer 'flat' is not convolutional .*layers with feature maps are c1/);
  await assert.rejects(gradCam(model, image, { classIndex: 3 }), /classIndex 3 is out of range: .* has 3 classes \(0\.\.2\)/);
  const notes: string[] = [];
  const warn = console.warn;
  console.warn = (m: string) => notes.push(m);
  try {
    const heat = await gradCam(model, randomTensor([9, 12, 1], 2));
    assert.deepEqual([heat.height, heat.width], [4, 4]);
  } finally {
    console.warn = warn;
  }
  assert.match(notes[0]!, /the image is 9×12 and .* takes 6×6; resized/);
});
