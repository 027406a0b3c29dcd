import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Variable } from '../../src/models/variable.js';
import { Adam, AdamW, LearningRateSchedule, OPTIMIZER_NAMES, OPTIMIZER_TABLE, type Optimizer, optimizerFromConfig, optimizers,
  RMSprop, schedules, SGD } from '../../src/optimizers/index.js';
import { scheduleFromConfig } from '../../src/optimizers/schedules.js';
import { tensor } from '../../src/tensor/create.js';
import { resolveName } from '../../src/training/names.js';
import { KERAS_VALUES } from '../helpers/keras-values.js';

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

// Keras 3's own numbers: test/fixtures/keras3/training_values.py.
const closeTo = (got: ArrayLike<number>, want: readonly number[], tol: number, what: string): void => {
  assert.equal(got.length, want.length, what);
  want.forEach((v, i) => assert.ok(Math.abs(got[i]! - v) <= tol, `${what}[${i}]: ${got[i]}, Keras ${v}`));
};

test('AdamW with its defaults (weight decay 0.004) takes the steps Keras 3 takes', () => {
  const { w0, grads, weights } = KERAS_VALUES.adamw;
  const w = new Variable('w:0', tensor(w0));
  const adamW = optimizers.adamW();
  grads.forEach((g, i) => {
    adamW.applyGradients([w], [tensor(g)]);
    closeTo(w.value.data, weights[i]!, 1e-6, `step ${i + 1}`);
  });
  assert.deepEqual(adamW.getConfig(), { learning_rate: 0.001, weight_decay: 0.004, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false });
  assertFollowsRule(new AdamW({ learningRate: 0.01, weightDecay: 0 }), adamRule(0.9, 0.999, 1e-7), 0.01);
  assert.throws(() => new AdamW({ decay: 0.1 }), /AdamW: decay .* pass a schedule as learningRate/);
  assert.throws(() => new AdamW({ weightDecay: -1 }), /AdamW: weightDecay must be a number >= 0, got -1/);
});

test('schedules give the rates Keras 3 gives, step by step, and its configs', () => {
  const made: Record<string, LearningRateSchedule> = {
    exponential: schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 4, decayRate: 0.5 }),
    exponential_staircase: schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 4, decayRate: 0.5, staircase: true }),
    cosine: schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, alpha: 0.1 }),
    cosine_warmup: schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, alpha: 0.1, warmupTarget: 0.2, warmupSteps: 3 }),
    piecewise: schedules.piecewiseConstantDecay({ boundaries: [3, 6], values: [0.1, 0.05, 0.01] }),
  };
  for (const [name, schedule] of Object.entries(made)) {
    const keras = KERAS_VALUES.schedules[name]!;
    closeTo(keras.rates.map((_, step) => schedule.rateAt(step)), keras.rates, 1e-7, name);
    assert.equal(schedule.className, keras.config.class_name);
    assert.deepEqual(schedule.getConfig(), keras.config.config, `${name} config`);
    assert.deepEqual(scheduleFromConfig(keras.config, 'test').getConfig(), keras.config.config, `${name} read back`);
  }
});

test('an optimizer reads its schedule at the step count before each update, as Keras does', () => {
  const { boundaries, values, weights } = KERAS_VALUES.sgd_piecewise;
  const sgd = optimizers.sgd({ learningRate: schedules.piecewiseConstantDecay({ boundaries, values }) });
  const w = new Variable('w:0', tensor(KERAS_VALUES.adamw.w0));
  KERAS_VALUES.adamw.grads.forEach((g, i) => {
    sgd.applyGradients([w], [tensor(g)]);
    closeTo(w.value.data, weights[i]!, 1e-6, `step ${i + 1}`);
  });
  assert.equal(sgd.learningRate, 0.01);
  assert.throws(() => (sgd.learningRate = 0.5), /SGD: the learning rate follows the PiecewiseConstantDecay schedule given at construction and cannot be set/);
});

test('a schedule that gives NaN or a negative rate stops the update with an error naming it', () => {
  class Broken extends LearningRateSchedule {
    readonly className = 'Broken';
    rateAt(step: number): number { return step === 0 ? 0.1 : step === 1 ? NaN : -0.5; }
    getConfig(): Record<string, unknown> { return {}; }
  }
  const rmsprop = optimizers.rmsprop({ learningRate: new Broken() });
  const w = new Variable('w:0', tensor([1]));
  rmsprop.applyGradients([w], [tensor([0.5])]);
  const before = w.value.data[0];
  assert.throws(() => rmsprop.applyGradients([w], [tensor([0.5])]), /RMSprop: learning-rate schedule Broken gave NaN at step 1; expected a finite rate >= 0/);
  assert.equal(w.value.data[0], before, 'the weights are untouched');
  rmsprop.iterations = 2;
  assert.throws(() => rmsprop.applyGradients([w], [tensor([0.5])]), /gave -0.5 at step 2/);
  assert.throws(() => schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 }),
    /ExponentialDecay: decaySteps must be a positive number, got 0/);
  assert.throws(() => schedules.piecewiseConstantDecay({ boundaries: [5, 2], values: [1, 2, 3] }), /boundaries must be increasing/);
  assert.throws(() => scheduleFromConfig({ class_name: 'InverseTimeDecay', config: {} }, 'm.h5'),
    /m\.h5: learning-rate schedule "InverseTimeDecay" is not supported \(expected ExponentialDecay, CosineDecay, PiecewiseConstantDecay\)/);
});

test('one table: every optimizer compiles by name, and its config reads back to the same optimizer', () => {
  assert.deepEqual(Object.keys(OPTIMIZER_TABLE), [...OPTIMIZER_NAMES]);
  for (const name of OPTIMIZER_NAMES) {
    const entry = OPTIMIZER_TABLE[name];
    const made = entry.create({ learningRate: 0.02 });
    assert.equal(made.className, entry.className);
    assert.equal(resolveName(name.toLowerCase(), OPTIMIZER_TABLE, 'optimizer'), entry, `'${name.toLowerCase()}' as Keras spells it`);
    const back = optimizerFromConfig(entry.className, made.getConfig(), 'test');
    assert.equal(back.className, entry.className);
    assert.deepEqual(back.getConfig(), made.getConfig(), name);
    const scheduled = entry.create({ learningRate: schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 100 }) });
    const reread = optimizerFromConfig(entry.className, scheduled.getConfig(), 'test');
    assert.equal(reread.schedule?.className, 'CosineDecay', `${name} keeps its schedule`);
  }
  assert.throws(() => optimizerFromConfig('Nadam', {}, 'm.h5: training_config'),
    /m\.h5: training_config: optimizer "Nadam" is not supported \(expected RMSprop, Adam, AdamW, SGD\)/);
  assert.throws(() => optimizerFromConfig('Adam', { learning_rate: 0.001, weight_decay: 0.01 }, 'm.h5'),
    /m\.h5 Adam: weight_decay 0.01 is only supported by AdamW/);
});
