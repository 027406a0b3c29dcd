import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadModel } from '../../src/io/load-model.js';
import { runCli, tempDir, tinyDataset } from './helpers.js';

// No --weights: the CLI's default, 'imagenet', is the file the package ships.
describe('transfer learning from SqueezeNet', () => {
  const dir = tempDir({ after });
  const data = join(dir, 'data');
  const quick = ['--epochs', '1', '--batch-size', '2', '--steps-per-epoch', '1', '--image-size', '64'];
  before(() => tinyDataset(data, 2));

  test('squeezenet-features: extracted features, a dense head, saved as one model that predicts images', () => {
    const out = join(dir, 'features');
    const r = runCli(['train', data, '--model', 'squeezenet-features', ...quick, '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Extracting SqueezeNet features of the training images/);
    const info = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    assert.equal(info.preprocessing, 'caffe');
    assert.equal(info.settings['learning rate'], 2e-5);
    assert.deepEqual(info.phases, [{ name: 'dense head on extracted features', epochs: 1 }]);
    const summary = readFileSync(join(out, 'summary.txt'), 'utf8');
    assert.match(summary, /squeezenet \(Model\)\s+\(None, 512\)\s+722496/);
    assert.match(summary, /classifier \(Sequential\)\s+\(None, 1\)\s+131585/);
    const p = runCli(['predict', join(out, 'model.h5'), join(data, 'test'), '--json']);
    assert.equal(p.status, 0, p.stderr);
    assert.equal(JSON.parse(p.stdout).length, 4);
  });

  test('squeezenet-finetune: the head first, then fire8 and fire9 trained on images with the --optimizer chosen', async () => {
    const out = join(dir, 'finetune');
    const r = runCli(['train', data, '--model', 'squeezenet-finetune', ...quick, '--augment', '--optimizer', 'adam', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    const info = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    assert.deepEqual(info.phases.map((p: { name: string }) => p.name), ['dense head on extracted features', 'fine-tuning fire8 and fire9']);
    assert.equal(info.settings['fine-tuning learning rate'], 1e-5);
    const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));
    assert.deepEqual(history.epoch, [0, 1]);
    // fire8 (188,992) and fire9 (197,184) are trainable now, beside the head (131,585); the saved file keeps that.
    const summary = runCli(['summary', join(out, 'model.h5')]);
    assert.equal(summary.status, 0, summary.stderr);
    assert.match(summary.stdout, /Trainable params: 517,761/);
    const { optimizer } = (await loadModel(join(out, 'model.h5'))).compiled!;
    assert.deepEqual([optimizer.className, optimizer.learningRate], ['Adam', Math.fround(1e-5)], 'the fine-tuning phase\'s optimizer (saved in float32)');
  });
});
