import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CLI, REPO, tempDir, tinyDataset } from './helpers.js';

test('Ctrl-C during training stops after the step, keeps the model and history, exits 130', async () => {
  const dir = tempDir({ after });
  const data = await tinyDataset(join(dir, 'data'), 2);
  const out = join(dir, 'run');
  const child = spawn(process.execPath, [...CLI, 'train', data, '--epochs', '50', '--batch-size', '2',
    '--steps-per-epoch', '200', '--image-size', '64', '--out', out], { cwd: REPO, env: process.env });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const status = await new Promise<number | null>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      if (stdout.includes('Epoch 1/50') && !child.killed) child.kill('SIGINT');
    });
    child.on('exit', (code) => resolve(code));
  });
  assert.equal(status, 130, `stdout:\n${stdout}\nstderr:\n${stderr}`);
  assert.match(stderr, /Ctrl-C: stopping after this step/);
  assert.match(stdout, /Stopped by Ctrl-C after 0 complete epochs/);
  for (const name of ['model.h5', 'history.json', 'history.csv', 'summary.txt', 'run.json']) assert.ok(existsSync(join(out, name)), name);
  assert.ok(!existsSync(join(out, 'report.html')));
  const info = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.equal(info.interrupted, true);
});
