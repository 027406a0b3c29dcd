import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Variable } from '../../src/models/variable.js';
import { Adam, type Optimizer, RMSprop, SGD } from '../../src/optimizers/index.js';
import { tensor } from '../../src/tensor/create.js';

function step(optimizer: Optimizer, w0: number, g: number, times = 1): number {
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

/**
 * Keras's update rules (summary-and-training.md §7) in float64, one weight entry at a time: `state`
 * holds the entry's slots, `t` is the step (from 1) and `lr` the rate after time decay.
 */
type Rule = (w: number, g: number, state: number[], t: number, lr: number) => number;

const sgdRule = (momentum: number, nesterov: boolean): Rule => (w, g, state, _t, lr) => {
  const v = momentum * (state[0] ?? 0) - lr * g;
  state[0] = v;
  return nesterov ? w + momentum * v - lr * g : w + v;
};

const rmspropRule = (rho: number, epsilon: number): Rule => (w, g, state, _t, lr) => {
  const a = rho * (state[0] ?? 0) + (1 - rho) * g * g;
  state[0] = a;
  return w - (lr * g) / (Math.sqrt(a) + epsilon);
};

const adamRule = (beta1: number, beta2: number, epsilon: number): Rule => (w, g, state, t, lr) => {
  const lrT = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
  const m = beta1 * (state[0] ?? 0) + (1 - beta1) * g;
  const v = beta2 * (state[1] ?? 0) + (1 - beta2) * g * g;
  [state[0], state[1]] = [m, v];
  return w - (lrT * m) / (Math.sqrt(v) + epsilon);
};

/** Three steps whose gradients change in size and sign, so every constant of a rule shows in the weights. */
const GRADIENTS = [[0.5, -1.5, 0.02], [-0.3, -0.6, 0.4], [0.9, 0.1, -0.05]];

function assertFollowsRule(optimizer: Optimizer, rule: Rule, lr: number, decay = 0): void {
  const w0 = [1, -0.4, 0.25];
  const w = new Variable('w:0', tensor(w0));
  const expected = [...w0];
  const states = w0.map((): number[] => []);
  GRADIENTS.forEach((g, i) => {
    optimizer.applyGradients([w], [tensor(g)]);
    const rate = lr / (1 + decay * i);
    expected.forEach((e, j) => (expected[j] = rule(e, g[j]!, states[j]!, i + 1, rate)));
    w.value.data.forEach((v, j) => assert.ok(Math.abs(v - expected[j]!) < 2e-6,
      `${optimizer.className} step ${i + 1}, entry ${j}: ${v}, Keras's rule gives ${expected[j]}`));
  });
}

test('three SGD steps with varying gradients follow Keras: plain, momentum, nesterov, time decay', () => {
  assertFollowsRule(new SGD({ learningRate: 0.1 }), sgdRule(0, false), 0.1);
  assertFollowsRule(new SGD({ learningRate: 0.1, momentum: 0.9 }), sgdRule(0.9, false), 0.1);
  assertFollowsRule(new SGD({ learningRate: 0.1, momentum: 0.7, nesterov: true }), sgdRule(0.7, true), 0.1);
  assertFollowsRule(new SGD({ learningRate: 0.1, momentum: 0.9, decay: 0.5 }), sgdRule(0.9, false), 0.1, 0.5);
});

test('three RMSprop steps with varying gradients follow Keras, defaults and other ρ, ε', () => {
  assertFollowsRule(new RMSprop({ learningRate: 0.01 }), rmspropRule(0.9, 1e-7), 0.01);
  assertFollowsRule(new RMSprop({ learningRate: 0.01, rho: 0.5, epsilon: 0.1, decay: 0.3 }), rmspropRule(0.5, 0.1), 0.01, 0.3);
});

test('three Adam steps with varying gradients follow Keras, defaults and other β₁, β₂, ε', () => {
  assertFollowsRule(new Adam({ learningRate: 0.01 }), adamRule(0.9, 0.999, 1e-7), 0.01);
  assertFollowsRule(new Adam({ learningRate: 0.01, beta1: 0.5, beta2: 0.8, epsilon: 0.1, decay: 0.3 }), adamRule(0.5, 0.8, 0.1), 0.01, 0.3);
});

test('a bad learning rate is refused', () => {
  assert.throws(() => new Adam({ learningRate: -1 }), /learningRate must be a positive number, got -1/);
});
