import assert from 'node:assert/strict';
import { test } from 'node:test';
import { valueAndGrads } from '../../src/autograd/grad.js';
import { binaryCrossentropy, categoricalCrossentropy, huber, klDivergence, logCosh, LOSSES, type LossFn, meanAbsoluteError,
  meanAbsolutePercentageError, meanSquaredError, sparseCategoricalCrossentropy } from '../../src/losses/losses.js';
import { layers } from '../../src/layers/index.js';
import * as metrics from '../../src/metrics/metrics.js';
import { binaryAccuracy, categoricalAccuracy, type Metric, METRICS, sparseCategoricalAccuracy } from '../../src/metrics/metrics.js';
import { sequential } from '../../src/models/factories.js';
import { tensor } from '../../src/tensor/create.js';
import { resolveName } from '../../src/training/names.js';
import { checkGrad, randomTensor } from '../helpers/grad-check.js';
import { KERAS_VALUES } from '../helpers/keras-values.js';

const near = (a: number, b: number, tol = 1e-5): void => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

// Values from ../shared/spec/summary-and-training.md §6.
test('binary cross-entropy on probabilities with Keras clipping', () => {
  near(binaryCrossentropy(tensor([[1]]), tensor([[0.9]])).item(), 0.1053605);
  near(binaryCrossentropy(tensor([[0]]), tensor([[0.9]])).item(), 2.3025851);
  near(binaryCrossentropy(tensor([[1]]), tensor([[0.5]])).item(), 0.6931472);
  near(binaryCrossentropy(tensor([[1]]), tensor([[0]])).item(), 16.118095, 1e-4);
  near(binaryCrossentropy(tensor([[0]]), tensor([[1]])).item(), 15.9424, 1e-3);
  near(binaryCrossentropy(tensor([1, 0]), tensor([[0.9], [0.9]])).item(), (0.1053605 + 2.3025851) / 2);
});

test('categorical, sparse categorical and mean squared error', () => {
  const p = tensor([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]);
  const expected = -(Math.log(0.7) + Math.log(0.8)) / 2;
  near(categoricalCrossentropy(tensor([[1, 0, 0], [0, 0, 1]]), p).item(), expected);
  near(sparseCategoricalCrossentropy(tensor([0, 2]), p).item(), expected);
  near(meanSquaredError(tensor([[1, 2]]), tensor([[2, 4]])).item(), 2.5);
  assert.throws(() => sparseCategoricalCrossentropy(tensor([0, 3]), p), /label 3 at index 1 is not a class index in \[0, 3\)/);
  assert.throws(() => binaryCrossentropy(tensor([1, 0, 1]), tensor([[0.5], [0.5]])), /targets of shape \[3\] do not match predictions of shape \[2, 1\]/);
});

test('loss gradients agree with finite differences', () => {
  // log's higher derivatives grow as 1/p⁵ near 0: a small step keeps the difference's error down.
  const p = randomTensor([4, 1], 1, 0.1, 0.9);
  checkGrad((q) => binaryCrossentropy(tensor([[1], [0], [1], [0]]), q), [p], { step: 2 ** -8 });
  const probs = randomTensor([2, 3], 2, 0.1, 0.9);
  checkGrad((q) => categoricalCrossentropy(tensor([[0, 1, 0], [1, 0, 0]]), q), [probs], { step: 2 ** -8 });
});

test('accuracy metrics', () => {
  assert.equal(binaryAccuracy(tensor([1, 0, 1, 0]), tensor([[0.6], [0.4], [0.5], [0.9]])), 0.5);
  assert.equal(categoricalAccuracy(tensor([[0, 1], [1, 0]]), tensor([[0.2, 0.8], [0.3, 0.7]])), 0.5);
  assert.equal(sparseCategoricalAccuracy(tensor([1, 1]), tensor([[0.2, 0.8], [0.3, 0.7]])), 1);
});

// Keras 3's values and gradients with respect to y_pred: test/fixtures/keras3/training_values.py.
test('mae, mape, huber, logCosh and kld give Keras 3 values and gradients, and compile by their Keras names', () => {
  const cases: [string, LossFn][] = [
    ['mean_absolute_error', LOSSES.mae!], ['mean_absolute_percentage_error', LOSSES.mape!], ['huber', LOSSES.huber!],
    ['huber_delta_0_5', (y, p) => huber(y, p, 0.5)], ['log_cosh', LOSSES.logCosh!], ['kl_divergence', LOSSES.kld!],
  ];
  for (const [name, loss] of cases) {
    const keras = KERAS_VALUES.losses[name]!;
    const yTrue = tensor(keras.y_true);
    const yPred = tensor(keras.y_pred);
    const { value, grads } = valueAndGrads(() => loss(yTrue, yPred), [yPred]);
    near(value.item(), keras.value, 1e-5 * Math.max(1, Math.abs(keras.value)));
    keras.grad.flat().forEach((g, i) => near(grads[0]!.data[i]!, g, 1e-5 * Math.max(1, Math.abs(g))));
  }
  for (const name of ['mae', 'mean_absolute_percentage_error', 'huber', 'logcosh', 'log_cosh', 'kld', 'kl_divergence']) {
    assert.equal(typeof resolveName(name, LOSSES, 'loss'), 'function', name);
  }
  // Far from 0 a naive cosh overflows float32; the softplus form stays finite: log cosh(100) = 100 − ln 2.
  near(logCosh(tensor([[0]]), tensor([[100]])).item(), 100 - Math.LN2, 1e-4);
});

test('the new losses\' gradients agree with finite differences away from their kinks', () => {
  const yTrue = tensor([[0.2, -1, 3], [1.5, 0.1, -0.7]]);
  const yPred = tensor([[0.5, 0.4, 1], [-0.5, 0.25, -0.2]]);
  for (const loss of [meanAbsoluteError, meanAbsolutePercentageError, LOSSES.huber!, logCosh]) checkGrad((q) => loss(yTrue, q), [yPred]);
  checkGrad((q) => klDivergence(tensor([[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]]), q), [tensor([[0.1, 0.6, 0.3], [0.5, 0.3, 0.2]])], { step: 2 ** -8 });
});

// Keras 3's epoch values (test/fixtures/keras3/training_values.py): 24 binary samples in batches of 8.
test('AUC (200 thresholds, ROC and PR), precision, recall and accuracies over an epoch of batches match Keras 3', () => {
  const { binary, categorical } = KERAS_VALUES.metrics;
  const cases: [Metric, { epoch: number; batch_mean: number }, number[][], number[][], number][] = [
    [metrics.auc(), binary.auc, binary.y_true, binary.y_pred, binary.batch_size],
    [metrics.auc({ curve: 'PR' }), binary.auc_pr, binary.y_true, binary.y_pred, binary.batch_size],
    [metrics.precision(), binary.precision, binary.y_true, binary.y_pred, binary.batch_size],
    [metrics.recall(), binary.recall, binary.y_true, binary.y_pred, binary.batch_size],
    [METRICS.binaryAccuracy!(), binary.binary_accuracy, binary.y_true, binary.y_pred, binary.batch_size],
    [METRICS.categoricalAccuracy!(), categorical.categorical_accuracy, categorical.y_true, categorical.y_pred, categorical.batch_size],
  ];
  for (const [metric, keras, yTrue, yPred, batch] of cases) {
    metric.reset();
    for (let i = 0; i < yTrue.length; i += batch) metric.update(tensor(yTrue.slice(i, i + batch)), tensor(yPred.slice(i, i + batch)));
    near(metric.result(), keras.epoch, 1e-6);
  }
  assert.ok(Math.abs(binary.auc.epoch - binary.auc.batch_mean) > 0.01, 'the fixture tells an epoch AUC from a mean of batch AUCs');
  const auc = binary.configs.auc!.config;
  assert.deepEqual([auc.num_thresholds, auc.curve, auc.summation_method], [200, 'ROC', 'interpolation'], 'the defaults deeptype follows');
  assert.throws(() => metrics.auc().update(tensor([[1]]), tensor([[1.5]])), /auc: prediction 1.5 at index 0 is outside \[0, 1\]/);
  assert.throws(() => metrics.auc({ numThresholds: 1 }), /auc: numThresholds must be an integer > 1, got 1/);
});

test('fit and evaluate: History and the returned logs hold epoch values, batch logs the running ones', async () => {
  const { binary } = KERAS_VALUES.metrics;
  // A model without weights that passes its input through: the inputs are the predictions.
  const model = sequential([layers.activation({ activation: 'linear', inputShape: [1] })]);
  model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy', metrics: ['auc', metrics.precision(), 'recall', 'acc'] });
  const x = tensor(binary.y_pred);
  const y = tensor(binary.y_true);
  const batchAucs: number[] = [];
  const history = await model.fit(x, y, { batchSize: 8, shuffle: false, verbose: 0, validationData: [x, y],
    callbacks: [{ onBatchEnd: (_b: number, logs: Record<string, number>) => { batchAucs.push(logs.auc!); } }] });
  near(history.history.auc![0]!, binary.auc.epoch, 1e-6);
  near(history.history.val_auc![0]!, binary.auc.epoch, 1e-6);
  near(history.history.precision![0]!, binary.precision.epoch, 1e-6);
  near(history.history.recall![0]!, binary.recall.epoch, 1e-6);
  near(history.history.acc![0]!, binary.binary_accuracy.epoch, 1e-6);
  near(batchAucs[2]!, binary.auc.epoch, 1e-6);
  const firstBatch = metrics.auc();
  firstBatch.update(tensor(binary.y_true.slice(0, 8)), tensor(binary.y_pred.slice(0, 8)));
  near(batchAucs[0]!, firstBatch.result(), 1e-9);
  const evaluated = await model.evaluate(x, y, { batchSize: 5, verbose: 0 });
  near(evaluated.auc!, binary.auc.epoch, 1e-6);
  near(evaluated.loss!, history.history.loss![0]!, 1e-6);
});
