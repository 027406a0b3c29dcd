import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { vgg16 } from '../../src/applications/vgg16.js';
import { saveWeights } from '../../src/io/weights.js';
import { REPO, tempDir, tinyDataset } from '../cli/helpers.js';
import { randomTensor } from '../helpers/grad-check.js';

/** Runs an example through tsx for one short step, as a user would, and returns its output. */
function runExample(file: string, args: string[]): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'examples', file), ...args], {
    cwd: REPO, encoding: 'utf8', env: process.env, timeout: 240_000,
  });
  assert.equal(r.status, 0, `${file}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe('each lecture example runs for one short step', () => {
  const dir = tempDir({ after });
  const data = join(dir, 'data');
  const out = join(dir, 'out');
  const quick = ['--data', data, '--out', out, '--epochs', '1', '--steps', '1', '--validation-steps', '1', '--batch-size', '2', '--image-size', '64'];
  before(() => tinyDataset(data, 2));

  test('01-convnet-basics prints both summaries', () => {
    const stdout = runExample('01-convnet-basics.ts', []);
    assert.match(stdout, /\(None, 22, 22, 64\)\s+36928/);
    assert.match(stdout, /Total params: 3,453,121/);
  });

  test('02-from-scratch trains and saves the lecture convnet', () => {
    assert.match(runExample('02-from-scratch.ts', quick), /Epoch 1\/1/);
    for (const f of ['cats_and_dogs_small_1.h5', 'cats_and_dogs_small_1.png']) assert.ok(existsSync(join(out, f)), f);
  });

  test('03-augmentation draws augmented images and trains with dropout', () => {
    runExample('03-augmentation.ts', quick);
    for (const f of ['augmented_cat.png', 'cats_and_dogs_small_2.h5', 'cats_and_dogs_small_2.png']) assert.ok(existsSync(join(out, f)), f);
  });

  test('04-feature-extraction trains a head on extracted features', () => {
    assert.match(runExample('04-feature-extraction.ts', quick), /Test accuracy on the extracted features: \d+\.\d%/);
    assert.ok(existsSync(join(out, 'feature_extraction_head.h5')));
  });

  // SqueezeNet: 25 convolutions with a kernel and a bias each; the head: 2 dense layers.
  test('05-feature-extraction-augmented freezes the base inside the model', () => {
    const stdout = runExample('05-feature-extraction-augmented.ts', quick);
    assert.match(stdout, /Trainable weights before freezing the base: 54/);
    assert.match(stdout, /Trainable weights after freezing the base: 4/);
    assert.ok(existsSync(join(out, 'cats_and_dogs_small_3.h5')));
  });

  test('07-visualize-activations draws the first 8 layers of the model 02 saved', () => {
    const stdout = runExample('07-visualize-activations.ts', [...quick, '--model', join(out, 'cats_and_dogs_small_1.h5')]);
    assert.match(stdout, /conv2d_\d+: 1 × 62 × 62 × 32/);
    assert.match(stdout, /max_pooling2d_\d+: 1 × 2 × 2 × 128/);
    assert.ok(existsSync(join(out, 'activations.png')));
  });

  test('08-filters raises a SqueezeNet filter\'s activation and draws the filters of four layers', () => {
    const stdout = runExample('08-filters.ts', [...quick, '--image-size', '48']);
    assert.match(stdout, /fire5\/expand3x3, filter 0: mean activation \d+\.\d{3} → \d+\.\d{3}/);
    for (const f of ['filters_conv1.png', 'filters_fire3_expand3x3.png', 'filters_fire7_expand3x3.png']) assert.ok(existsSync(join(out, f)), f);
  });

  test('09-grad-cam explains the prediction of the model 02 saved', () => {
    const stdout = runExample('09-grad-cam.ts', [...quick, '--model', join(out, 'cats_and_dogs_small_1.h5')]);
    assert.match(stdout, /P\(dog\) = \d\.\d{3}: explaining class [01] \((cat|dog)\) on conv2d_\d+, a 4×4 map/);
    for (const f of ['heatmap.png', 'overlay.png']) assert.ok(existsSync(join(out, f)), f);
  });

  test('06-fine-tuning trains the head, then the last block, then tests', () => {
    const stdout = runExample('06-fine-tuning.ts', [...quick, '--head-epochs', '1']);
    assert.match(stdout, /Fine-tuning the last block/);
    assert.match(stdout, /Test accuracy: \d+\.\d%/);
    assert.ok(existsSync(join(out, 'cats_and_dogs_small_4.h5')));
  });
});

// The lecture's own base: VGG16's ImageNet file cannot be had offline, so one with its layer
// names and shapes (small random values) stands in; the examples load it by --weights.
describe('the transfer examples run with --base vgg16', () => {
  const dir = tempDir({ after });
  const data = join(dir, 'data');
  const out = join(dir, 'out');
  const weights = join(dir, 'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5');
  const quick = ['--base', 'vgg16', '--weights', weights, '--data', data, '--out', out, '--epochs', '1', '--steps', '1',
    '--validation-steps', '1', '--batch-size', '2', '--image-size', '48'];
  before(async () => {
    await tinyDataset(data, 2);
    const source = await vgg16({ weights: null, includeTop: false, inputShape: [48, 48, 3] });
    source.weights.forEach((w, i) => w.assign(randomTensor([...w.shape], 200 + i, -0.05, 0.05)));
    await saveWeights(source, weights);
  });

  test('04-feature-extraction', () => {
    const stdout = runExample('04-feature-extraction.ts', quick);
    assert.match(stdout, /block5_pool \(MaxPooling2D\) +\(None, 1, 1, 512\) +0/);
    assert.match(stdout, /Test accuracy on the extracted features: \d+\.\d%/);
  });

  test('06-fine-tuning unfreezes block5', () => {
    const stdout = runExample('06-fine-tuning.ts', [...quick, '--head-epochs', '1']);
    assert.match(stdout, /Fine-tuning the last block/);
    assert.match(stdout, /Test accuracy: \d+\.\d%/);
    assert.ok(existsSync(join(out, 'cats_and_dogs_small_4.h5')));
  });
});
