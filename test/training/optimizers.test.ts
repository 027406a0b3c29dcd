import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Variable } from '../../src/models/variable.js';
import { Adam, RMSprop, SGD } from '../../src/optimizers/index.js';
import { tensor } from '../../src/tensor/create.js';

function step(optimizer: RMSprop | Adam | SGD, w0: number, g: number, times = 1): number {
  const w = new Variable('w:0', tensor([w0]));
  for (let i = 0; i < times; i++) optimizer.applyGradients([w], [tensor([g])]);
  return w.value.data[0]!;
}

// Worked numbers from ../shared/spec/summary-and-training.md §7.
test('RMSprop: w=1, g=0.5, lr=1e-4 → 0.99968377', () => {
  assert.ok(Math.abs(step(new RMSprop({ learningRate: 1e-4 }), 1, 0.5) - 0.99968377) < 1e-7);
  assert.ok(Math.abs(step(new RMSprop({ lr: 1e-4 }), 1, 0.5) - 0.99968377) < 1e-7, 'lr is an alias');
});

test('Adam first step: w=1, g=0.5 → 0.9990000', () => {
  assert.ok(Math.abs(step(new Adam(), 1, 0.5) - 0.999) < 1e-7);
});

test('SGD plain, momentum and nesterov', () => {
  assert.ok(Math.abs(step(new SGD({ learningRate: 0.1 }), 1, 0.5) - 0.95) < 1e-7);
  // v1 = −0.05, w1 = 0.95; v2 = 0.9·(−0.05) − 0.05 = −0.095, w2 = 0.855
  assert.ok(Math.abs(step(new SGD({ learningRate: 0.1, momentum: 0.9 }), 1, 0.5, 2) - 0.855) < 1e-6);
  // nesterov: w1 = 1 + 0.9·(−0.05) − 0.05 = 0.905
  assert.ok(Math.abs(step(new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }), 1, 0.5) - 0.905) < 1e-6);
});

test('time decay divides the rate by 1 + decay · iterations', () => {
  const sgd = new SGD({ learningRate: 0.1, decay: 1 });
  // step 1: lr 0.1 → 0.95; step 2: lr 0.05 → 0.925
  assert.ok(Math.abs(step(sgd, 1, 0.5, 2) - 0.925) < 1e-6);
});

test('a bad learning rate is refused', () => {
  assert.throws(() => new Adam({ learningRate: -1 }), /learningRate must be a positive number, got -1/);
});
