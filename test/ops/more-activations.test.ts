import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activate, type ActivationName } from '../../src/ops/activations.js';
import { generalRelu, leakyRelu } from '../../src/ops/more-activations.js';
import { tensor } from '../../src/tensor/create.js';
import { checkGrad, randomTensor } from '../helpers/grad-check.js';

const X = [-4, -1, -0.5, 0.5, 1, 2, 7];
// Keras 3.15's keras.activations.get(name)(X) (TensorFlow 2.21 backend).
const KERAS: Record<string, number[]> = {
  elu: [-0.9816843867301941, -0.6321205496788025, -0.39346933364868164, 0.5, 1, 2, 7],
  selu: [-1.7258986234664917, -1.1113307476043701, -0.6917581558227539, 0.5253505110740662, 1.0507010221481323, 2.1014020442962646, 7.354907035827637],
  gelu: [-0.0001266850158572197, -0.15865525603294373, -0.1542687714099884, 0.3457312285900116, 0.8413447141647339, 1.9544997215270996, 7],
  swish: [-0.07194484025239944, -0.2689414322376251, -0.1887703388929367, 0.3112296760082245, 0.7310585975646973, 1.7615941762924194, 6.993622779846191],
  relu6: [0, 0, 0, 0.5, 1, 2, 6],
  hard_sigmoid: [0, 0.3333333432674408, 0.4166666567325592, 0.5833333134651184, 0.6666666865348816, 0.8333333134651184, 1],
};

test("elu, selu, gelu, swish/silu, relu6 and hard_sigmoid give Keras 3's values", () => {
  for (const [name, expected] of Object.entries({ ...KERAS, silu: KERAS.swish! })) {
    const y = activate(tensor(X), name as ActivationName).data;
    expected.forEach((e, i) => assert.ok(Math.abs(y[i]! - e) < 1e-6, `${name}(${X[i]}): ${y[i]} vs ${e}`));
  }
});

test('the activations\' gradients match finite differences away from their kinks', () => {
  const x = tensor([-2.7, -1.3, -0.4, 0.3, 1.1, 2.2, 5.2, 6.7]);
  for (const name of ['elu', 'selu', 'gelu', 'swish', 'relu6', 'hard_sigmoid'] as const) {
    checkGrad((v) => activate(v, name), [name === 'hard_sigmoid' ? tensor([-2.7, -1.3, -0.4, 0.3, 1.1, 2.2]) : x]);
  }
  checkGrad((v) => leakyRelu(v, 0.2), [x]);
  checkGrad((v) => generalRelu(v, { maxValue: 6, negativeSlope: 0.1, threshold: 0.5 }), [x]);
  checkGrad((v) => activate(v, 'gelu'), [randomTensor([3, 4], 1, -3, 3)]);
});

test('generalRelu: the max value caps, the threshold moves the kink, the slope scales below it', () => {
  const y = generalRelu(tensor([-2, 0.25, 1, 3, 8]), { maxValue: 6, negativeSlope: 0.5, threshold: 0.5 }).data;
  assert.deepEqual(Array.from(y), [-1.25, -0.125, 1, 3, 6]);
  assert.deepEqual(Array.from(leakyRelu(tensor([-2, 3])).data), [Math.fround(-0.6), 3]);
});
