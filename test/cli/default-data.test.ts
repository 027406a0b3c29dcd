import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli, tempDir } from './helpers.js';

test('train without a data folder generates the synthetic set once and trains on it', () => {
  const home = tempDir({ after });
  const out = join(home, 'run');
  const args = ['train', '--epochs', '1', '--steps-per-epoch', '1', '--validation-steps', '1', '--batch-size', '2', '--image-size', '64', '--out', out];
  const first = runCli(args, { DEEPTYPE_HOME: home });
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /Generating 400 synthetic JPEG images/);
  const data = join(home, 'datasets', 'shapes-v2');
  for (const split of ['train', 'validation', 'test']) assert.deepEqual(readdirSync(join(data, split)), ['cats', 'dogs']);
  assert.equal(readdirSync(join(data, 'train', 'cats')).length, 100);
  const info = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.equal(info.data, data);
  assert.equal(info.kind, 'lecture');
  assert.equal(info.settings['learning rate'], 1e-4, "the lecture convnet's default rate");
  assert.equal(info.final.validation_images, 2);
  assert.ok(existsSync(join(out, 'report.html')));

  // The same --out again: a run folder that holds a run is replaced only with --force.
  const second = runCli([...args, '--force'], { DEEPTYPE_HOME: home });
  assert.equal(second.status, 0, second.stderr);
  assert.doesNotMatch(second.stdout, /Generating/);
});

test('npm start runs deeptype train with no data folder', () => {
  const scripts = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).scripts;
  assert.match(scripts.start, /^node bin\/deeptype\.mjs train$/);
});
