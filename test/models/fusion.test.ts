import assert from 'node:assert/strict';
import { test } from 'node:test';
import { valueAndGrads } from '../../src/autograd/grad.js';
import { layers } from '../../src/layers/index.js';
import { model, sequential } from '../../src/models/factories.js';
import { freezeWeights } from '../../src/models/freeze.js';
import { fusesWith } from '../../src/models/fusion.js';
import { input } from '../../src/models/input-layer.js';
import type { Layer } from '../../src/models/layer.js';
import { mul } from '../../src/ops/arithmetic.js';
import { sum } from '../../src/ops/reduce.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { randomTensor } from '../helpers/grad-check.js';
import { maxAbsDiff } from '../io/helpers.js';

/** A convolution (3 filters) or depthwise convolution (multiplier 2, 4 channels out of 2), and a batch normalization with non-trivial statistics and affine weights. */
function convAndNorm(depthwise = false): [Layer, Layer] {
  const conv = depthwise ? layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthMultiplier: 2 })
    : layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' });
  const norm = layers.batchNormalization();
  const c = depthwise ? 4 : 3;
  conv.apply(randomTensor([1, 5, 5, 2], 1));
  conv.setWeights(conv.getWeights().map((w, i) => randomTensor([...w.shape], 20 + i)));
  norm.apply(randomTensor([1, 5, 5, c], 2));
  norm.setWeights([randomTensor([c], 3, 0.5, 2), randomTensor([c], 4), randomTensor([c], 5), randomTensor([c], 6, 0.2, 3)]);
  return [conv, norm];
}

test('a linear convolution folds the batch normalization after it; an activated one does not', () => {
  const [conv, norm] = convAndNorm();
  assert.equal(fusesWith(norm, [conv], 4), true);
  assert.equal(fusesWith(norm, [layers.depthwiseConv2d({ kernelSize: 3 })], 4), true);
  assert.equal(fusesWith(norm, [layers.depthwiseConv2d({ kernelSize: 3, activation: 'relu6' })], 4), false);
  assert.equal(fusesWith(norm, [layers.conv2d({ filters: 3, kernelSize: 1, activation: 'relu' })], 4), false);
  assert.equal(fusesWith(layers.batchNormalization({ axis: 1 }), [conv], 4), false);
});

for (const depthwise of [false, true]) {
  test(`folded batch normalization after a ${depthwise ? 'depthwise ' : ''}convolution: the same outputs, and the same gradients under a frozen normalization`, () => {
    const x = randomTensor([2, 5, 5, 2], 7);
    const [conv, norm] = convAndNorm(depthwise);
    const apart = (h: Tensor, training = false): Tensor => norm.apply(conv.apply(h, { training }), { training });
    const reference = apart(x);
    const stack = sequential([conv, norm]);
    const symbolic = input({ shape: [5, 5, 2] });
    const graph = model({ inputs: symbolic, outputs: norm.apply(conv.apply(symbolic)) });
    for (const m of [stack, graph]) assert.ok(maxAbsDiff(m.apply(x).data, reference.data) < 1e-5);

    norm.trainable = false;
    const probe = randomTensor([2, 5, 5, depthwise ? 4 : 3], 8);
    const weights = [...conv.weights, ...norm.weights.slice(0, 2)].map((w) => w.value);
    const grads = (f: () => Tensor): Tensor[] => valueAndGrads(() => sum(mul(f(), probe)), [x, ...weights]).grads;
    const expected = grads(() => apart(x, true));
    for (const m of [stack, graph]) {
      grads(() => m.apply(x, { training: true })).forEach((g, i) =>
        assert.ok(maxAbsDiff(g.data, expected[i]!.data) < 1e-4, `gradient ${i}`));
    }
    norm.trainable = true;
    freezeWeights(stack);
    assert.ok(maxAbsDiff(stack.apply(x, { training: true }).data, reference.data) < 1e-5);
  });
}
