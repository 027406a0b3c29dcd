import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from './helpers.js';

const COMMANDS = ['train', 'evaluate', 'predict', 'explain', 'summary', 'augment-preview'];

test('deeptype --help lists every command', () => {
  const r = runCli(['--help']);
  assert.equal(r.status, 0, r.stderr);
  for (const name of COMMANDS) assert.match(r.stdout, new RegExp(`^  ${name} `, 'm'));
  assert.doesNotMatch(r.stdout, /\bdemo\b/);
});

test('every command has --help with its usage', () => {
  for (const name of COMMANDS) {
    const r = runCli([name, '--help']);
    assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^Usage: deeptype ${name} `, 'm'));
  }
  const train = runCli(['train', '--help']).stdout;
  for (const flag of ['--model', '--epochs', '--batch-size', '--steps-per-epoch', '--augment', '--lr', '--optimizer', '--seed', '--image-size', '--out']) {
    assert.ok(train.includes(flag), `train --help lacks ${flag}`);
  }
  assert.match(train.replace(/\s+/g, " "), /choices: "rmsprop", "adam", "adamw", "sgd"/, 'the optimizer table, as Keras spells names in strings');
});
