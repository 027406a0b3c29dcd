import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO, SQUEEZENET_WEIGHTS, tempDir, tinyDataset } from '../cli/helpers.js';

/** Runs an example through tsx for one short step, as a user would, and returns its output. */
function runExample(file: string, args: string[]): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'examples', file), ...args], {
    cwd: REPO, encoding: 'utf8', env: process.env, timeout: 240_000,
  });
  assert.equal(r.status, 0, `${file}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const noWeights = existsSync(SQUEEZENET_WEIGHTS) ? false : `SqueezeNet weights not found at ${SQUEEZENET_WEIGHTS}`;

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

  test('04-feature-extraction trains a head on extracted features', { skip: noWeights }, () => {
    assert.match(runExample('04-feature-extraction.ts', quick), /Test accuracy on the extracted features: \d+\.\d%/);
    assert.ok(existsSync(join(out, 'feature_extraction_head.h5')));
  });

  // SqueezeNet: 25 convolutions with a kernel and a bias each; the head: 2 dense layers.
  test('05-feature-extraction-augmented freezes the base inside the model', { skip: noWeights }, () => {
    const stdout = runExample('05-feature-extraction-augmented.ts', quick);
    assert.match(stdout, /Trainable weights before freezing the base: 54/);
    assert.match(stdout, /Trainable weights after freezing the base: 4/);
    assert.ok(existsSync(join(out, 'cats_and_dogs_small_3.h5')));
  });

  test('06-fine-tuning trains the head, then the last block, then tests', { skip: noWeights }, () => {
    const stdout = runExample('06-fine-tuning.ts', [...quick, '--head-epochs', '1']);
    assert.match(stdout, /Fine-tuning the last block/);
    assert.match(stdout, /Test accuracy: \d+\.\d%/);
    assert.ok(existsSync(join(out, 'cats_and_dogs_small_4.h5')));
  });
});
