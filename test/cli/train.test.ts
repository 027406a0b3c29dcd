import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pngSize } from '../helpers/visualize.js';
import { runCli, tempDir, tinyDataset } from './helpers.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
const HDF5 = Buffer.from([0x89, 0x48, 0x44, 0x46]);

// A random model scores a loss near ln 2 ≈ 0.69 and gets about half the images wrong; these
// thresholds need a model that learned the tiny set's red cats and blue dogs.
const LEARNED_LOSS = 0.1;
const CONFIDENT = 0.9;

describe('deeptype train on a tiny folder, then evaluate, predict and summary on its model', () => {
  const dir = tempDir({ after });
  const data = join(dir, 'data');
  const run = join(dir, 'run');
  let trainOutput = '';
  before(async () => {
    await tinyDataset(data, 2);
    const r = runCli(['train', data, '--epochs', '3', '--batch-size', '4', '--steps-per-epoch', '2', '--image-size', '64',
      '--augment', '--model', 'lecture-dropout', '--lr', '1e-3', '--out', run]);
    assert.equal(r.status, 0, r.stderr);
    trainOutput = r.stdout;
  });

  test('names the run folder on screen and shows the progress of each epoch', () => {
    assert.match(trainOutput, new RegExp(`Run folder: ${run.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(trainOutput, /Epoch 3\/3/);
    assert.match(trainOutput, /Validation accuracy 100\.0% on 4 images \(loss 0\.0\d{3}\)/);
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
    assert.deepEqual(history.epoch, [0, 1, 2]);
    for (const key of ['loss', 'acc', 'val_loss', 'val_acc']) assert.equal(history.history[key].length, 3, key);
    const csv = readFileSync(join(run, 'history.csv'), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'epoch,loss,acc,val_loss,val_acc');
    assert.deepEqual(csv.slice(1), history.epoch.map((e: number) =>
      [e, ...['loss', 'acc', 'val_loss', 'val_acc'].map((k) => history.history[k][e])].join(',')));
    assert.ok(history.history.val_loss[2] < LEARNED_LOSS && history.history.val_acc[2] === 1, `val_loss ${history.history.val_loss}`);
  });

  test('run.json records how to prepare images and what was trained', () => {
    const info = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8'));
    assert.equal(info.kind, 'lecture-dropout');
    assert.deepEqual(info.classIndices, { cats: 0, dogs: 1 });
    assert.deepEqual(info.imageSize, [64, 64]);
    assert.equal(info.preprocessing, 'rescale');
    assert.equal(info.interrupted, false);
    assert.deepEqual(info.phases, [{ name: 'training', epochs: 3 }]);
    assert.equal(info.settings.augment, true);
    assert.equal(info.settings['learning rate'], 1e-3);
    assert.equal(info.final.validation_images, 4);
    assert.equal(info.final.validation_acc, 1);
    assert.ok(info.final.validation_loss < LEARNED_LOSS, `validation loss ${info.final.validation_loss}`);
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
    assert.match(html, /every validation image was classified correctly/);
    assert.ok(!existsSync(join(run, 'misclassified.png')));
  });

  test('evaluate scores the test split with a confusion matrix', () => {
    const r = runCli(['evaluate', join(run, 'model.h5'), data, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const scores = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.equal(scores.folder, join(data, 'test'));
    assert.equal(scores.samples, 4);
    assert.deepEqual(scores.classes, ['cats', 'dogs']);
    assert.deepEqual(scores.confusion, [[2, 0], [0, 2]]);
    assert.equal(scores.acc, 1);
    assert.ok(scores.loss > 0 && scores.loss < LEARNED_LOSS, `loss ${scores.loss}`);
  });

  test('predict gives a class and a probability per file, for files and folders', () => {
    const r = runCli(['predict', join(run, 'model.h5'), join(data, 'test', 'cats'), join(data, 'test', 'dogs', 'dog.11.jpg')]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 3);
    for (const line of lines) {
      const [file, label, probability] = line.split('\t');
      assert.equal(label, file!.includes('/cats/') ? 'cats' : 'dogs', line);
      assert.match(probability!, /^(0\.\d{4}|1\.0000)$/);
      assert.ok(Number(probability) > CONFIDENT, line);
    }
    const json = runCli(['predict', join(run, 'model.h5'), join(data, 'test'), '--json']);
    const results = JSON.parse(json.stdout) as { file: string; class: string; probability: number }[];
    assert.equal(results.length, 4);
    for (const p of results) assert.ok(p.class === basename(dirname(p.file)) && p.probability > CONFIDENT, JSON.stringify(p));
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
    // From the trained weights and optimizer state: a restart from random weights would be near ln 2.
    assert.ok(info.final.val_loss < LEARNED_LOSS && info.final.val_acc === 1, `val_loss ${info.final.val_loss}`);
  });

  test('explain writes the activations, the Grad-CAM heatmap and overlay per image, filters.png for --layer, and explain.html', async () => {
    const out = join(dir, 'explain');
    const r = runCli(['explain', join(run, 'model.h5'), join(data, 'test', 'cats'), '--layer', 'conv2d_4', '--filters', '2', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    for (const line of lines) {
      const [file, label, folder] = line.split('\t');
      assert.equal(label, 'cats', line);
      assert.equal(folder, join(out, basename(file!, '.jpg')));
      for (const name of ['activations.png', 'heatmap.png', 'overlay.png']) {
        assert.deepEqual(readFileSync(join(folder!, name)).subarray(0, 4), PNG, name);
      }
      // The overlay keeps the photo's size; the heatmap is drawn at the model's input size.
      assert.deepEqual(await pngSize(join(folder!, 'overlay.png')), [64, 64]);
    }
    assert.deepEqual(readFileSync(join(out, 'filters.png')).subarray(0, 4), PNG);
    const html = readFileSync(join(out, 'explain.html'), 'utf8');
    assert.match(html, /Grad-CAM of class <strong>cats<\/strong> on layer conv2d_4/);
    assert.match(html, /<img src="filters\.png"/);
    assert.match(html, /<td>cats<\/td><td>0\.9\d{3}<\/td>/);

    const bad = runCli(['explain', join(run, 'model.h5'), join(data, 'test', 'cats'), '--layer', 'flatten_1', '--out', out]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /layer 'flatten_1' is not convolutional .* layers with feature maps are conv2d_1, max_pooling2d_1/);
    const missing = runCli(['explain', join(run, 'model.h5'), join(data, 'test', 'cats'), '--layer', 'conv9', '--out', out]);
    assert.match(missing.stderr, /no layer named 'conv9'; its layers are conv2d_1, /);
    const range = runCli(['explain', join(run, 'model.h5'), join(data, 'test', 'cats'), '--class', '2', '--out', out]);
    assert.match(range.stderr, /classIndex 2 is out of range: .* has 2 classes \(0\.\.1\)/);
  });
});

describe('deeptype train on a folder of three classes', () => {
  const dir = tempDir({ after });
  const data = join(dir, 'data');
  const run = join(dir, 'run');
  before(async () => {
    await tinyDataset(data, 3, 64, 3);
    const r = runCli(['train', data, '--epochs', '4', '--batch-size', '3', '--image-size', '64', '--lr', '1e-3', '--out', run]);
    assert.equal(r.status, 0, r.stderr);
  });

  test('builds a 3-way softmax head with categorical crossentropy', () => {
    const summary = readFileSync(join(run, 'summary.txt'), 'utf8');
    assert.match(summary, /dense_\d+ \(Dense\)\s+\(None, 3\)\s+1539/);
    const info = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8'));
    assert.deepEqual(info.classIndices, { birds: 0, cats: 1, dogs: 2 });
  });

  test('the report\'s 3×3 confusion matrix sums to the number of validation images, with each class\'s accuracy', () => {
    const html = readFileSync(join(run, 'report.html'), 'utf8');
    assert.match(html, /9 validation images/);
    assert.match(html, /<th>predicted birds<\/th><th>predicted cats<\/th><th>predicted dogs<\/th><th>class accuracy<\/th>/);
    const rows = [...html.matchAll(/<tr><td>true (\w+)<\/td><td>(\d+)<\/td><td>(\d+)<\/td><td>(\d+)<\/td><td>([\d.]+)%<\/td><\/tr>/g)];
    assert.deepEqual(rows.map((r) => r[1]), ['birds', 'cats', 'dogs']);
    const counts = rows.map((r) => [Number(r[2]), Number(r[3]), Number(r[4])]);
    assert.equal(counts.flat().reduce((a, b) => a + b, 0), 9);
    counts.forEach((row, c) => assert.equal(Number(rows[c]![5]), Number((100 * row[c]! / 3).toFixed(1))));
  });

  test('evaluate and predict name the three classes with their probabilities', () => {
    const r = runCli(['evaluate', join(run, 'model.h5'), data, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const scores = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.deepEqual(scores.classes, ['birds', 'cats', 'dogs']);
    assert.equal(scores.confusion.flat().reduce((a: number, b: number) => a + b, 0), 9);
    assert.deepEqual(Object.keys(scores.classAcc), ['birds', 'cats', 'dogs']);
    const p = runCli(['predict', join(run, 'model.h5'), join(data, 'test', 'birds')]);
    assert.equal(p.status, 0, p.stderr);
    for (const line of p.stdout.trim().split('\n')) {
      const [, label, probability, all] = line.split('\t');
      const probabilities = Object.fromEntries(all!.split(' ').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));
      assert.deepEqual(Object.keys(probabilities), ['birds', 'cats', 'dogs']);
      assert.equal(probabilities[label!], Number(probability));
      assert.ok(Math.abs(Object.values(probabilities).reduce((a, b) => a + b, 0) - 1) < 1e-3, line);
    }
  });
});
