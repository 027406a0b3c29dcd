import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli, tempDir, tinyDataset } from './helpers.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
const HDF5 = Buffer.from([0x89, 0x48, 0x44, 0x46]);

describe('deeptype train on a tiny folder, then evaluate, predict and summary on its model', () => {
  const dir = tempDir({ after });
  const data = join(dir, 'data');
  const run = join(dir, 'run');
  let trainOutput = '';
  before(async () => {
    await tinyDataset(data, 2);
    const r = runCli(['train', data, '--epochs', '2', '--batch-size', '2', '--steps-per-epoch', '1', '--image-size', '64',
      '--augment', '--model', 'lecture-dropout', '--out', run]);
    assert.equal(r.status, 0, r.stderr);
    trainOutput = r.stdout;
  });

  test('names the run folder on screen and shows the progress of each epoch', () => {
    assert.match(trainOutput, new RegExp(`Run folder: ${run.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(trainOutput, /Epoch 2\/2/);
    assert.match(trainOutput, /Validation accuracy \d+\.\d% on 4 images/);
  });

  test('writes every file of the run folder', () => {
    for (const name of ['model.h5', 'history.json', 'history.csv', 'history.png', 'summary.txt', 'run.json', 'report.html']) {
      assert.ok(existsSync(join(run, name)), `${name} missing`);
    }
    assert.deepEqual(readFileSync(join(run, 'model.h5')).subarray(0, 4), HDF5);
    assert.deepEqual(readFileSync(join(run, 'history.png')).subarray(0, 4), PNG);
  });

  test('history.json and history.csv hold one row per epoch', () => {
    const history = JSON.parse(readFileSync(join(run, 'history.json'), 'utf8'));
    assert.deepEqual(history.epoch, [0, 1]);
    for (const key of ['loss', 'acc', 'val_loss', 'val_acc']) assert.equal(history.history[key].length, 2, key);
    const csv = readFileSync(join(run, 'history.csv'), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'epoch,loss,acc,val_loss,val_acc');
    assert.equal(csv.length, 3);
    assert.match(csv[2]!, /^1,[\d.e-]+,[\d.]+,[\d.e-]+,[\d.]+$/);
  });

  test('run.json records how to prepare images and what was trained', () => {
    const info = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8'));
    assert.equal(info.kind, 'lecture-dropout');
    assert.deepEqual(info.classIndices, { cats: 0, dogs: 1 });
    assert.deepEqual(info.imageSize, [64, 64]);
    assert.equal(info.preprocessing, 'rescale');
    assert.equal(info.interrupted, false);
    assert.deepEqual(info.phases, [{ name: 'training', epochs: 2 }]);
    assert.equal(info.settings.augment, true);
    assert.equal(info.settings['learning rate'], 1e-4);
    assert.equal(info.final.validation_images, 4);
    assert.ok(info.final.validation_acc >= 0 && info.final.validation_acc <= 1);
  });

  test('summary.txt is the Keras table of the lecture convnet with dropout', () => {
    const summary = readFileSync(join(run, 'summary.txt'), 'utf8');
    assert.match(summary, /conv2d_\d+ \(Conv2D\)\s+\(None, 62, 62, 32\)\s+896/);
    assert.match(summary, /dropout_\d+ \(Dropout\)/);
    assert.match(summary, /Total params: /);
  });

  test('report.html has the metrics, the curves, the confusion matrix and the summary', () => {
    const html = readFileSync(join(run, 'report.html'), 'utf8');
    assert.match(html, /<img src="history\.png"/);
    assert.match(html, /predicted cats<\/th><th>predicted dogs/);
    assert.match(html, /4 validation images/);
    assert.match(html, /Total params/);
    if (existsSync(join(run, 'misclassified.png'))) assert.match(html, /<img src="misclassified\.png"/);
    else assert.match(html, /every validation image was classified correctly/);
  });

  test('evaluate scores the test split with a confusion matrix', () => {
    const r = runCli(['evaluate', join(run, 'model.h5'), data, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const scores = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.equal(scores.folder, join(data, 'test'));
    assert.equal(scores.samples, 4);
    assert.deepEqual(scores.classes, ['cats', 'dogs']);
    assert.equal(scores.confusion.flat().reduce((a: number, b: number) => a + b, 0), 4);
    assert.ok(scores.loss > 0);
  });

  test('predict gives a class and a probability per file, for files and folders', () => {
    const r = runCli(['predict', join(run, 'model.h5'), join(data, 'test', 'cats'), join(data, 'test', 'dogs', 'dog.11.jpg')]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 3);
    for (const line of lines) assert.match(line, /\.jpg\t(cats|dogs)\t(0\.\d{4}|1\.0000)$/);
    const json = runCli(['predict', join(run, 'model.h5'), join(data, 'test'), '--json']);
    const results = JSON.parse(json.stdout) as { file: string; class: string; probability: number }[];
    assert.equal(results.length, 4);
    for (const p of results) assert.ok(p.probability >= 0.5 && p.probability <= 1 && ['cats', 'dogs'].includes(p.class));
  });

  test('summary prints the saved model', () => {
    const r = runCli(['summary', join(run, 'model.h5')]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), readFileSync(join(run, 'summary.txt'), 'utf8').trim());
  });

  test('train --model <file.h5> continues from a saved model', () => {
    const more = join(dir, 'more');
    const r = runCli(['train', data, '--model', join(run, 'model.h5'), '--epochs', '1', '--batch-size', '2', '--steps-per-epoch', '1', '--out', more]);
    assert.equal(r.status, 0, r.stderr);
    const info = JSON.parse(readFileSync(join(more, 'run.json'), 'utf8'));
    assert.equal(info.kind, join(run, 'model.h5'));
    assert.deepEqual(info.imageSize, [64, 64]);
    assert.equal(info.settings['learning rate'], 'as saved');
  });
});
