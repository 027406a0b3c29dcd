// Keras 3.15 wrote these files itself (test/fixtures/keras-layers/generate.py): deeptype loads
// them and reproduces Keras's outputs within 1e-4.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { mobilenetV2 } from '../../src/applications/mobilenet-v2.js';
import { loadModel } from '../../src/io/load-model.js';
import { loadWeights } from '../../src/io/weights.js';
import type { BatchNormalization } from '../../src/layers/batch-normalization.js';
import { InputLayer } from '../../src/models/input-layer.js';
import type { Layer } from '../../src/models/layer.js';
import { clearSession } from '../../src/models/naming.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { jsonTensor, maxAbsDiff } from '../io/helpers.js';
import { REPO } from '../helpers/paths.js';

const FIXTURES = join(REPO, 'test', 'fixtures', 'keras-layers');
const fixture = (name: string): string => join(FIXTURES, name);

function assertClose(actual: Tensor, file: string, tolerance = 1e-4): void {
  const expected = jsonTensor(fixture(file));
  assert.deepEqual(actual.shape, expected.shape, file);
  const diff = maxAbsDiff(actual.data, expected.data);
  assert.ok(diff <= tolerance, `${file}: largest difference ${diff}`);
}

test('batch_norm.h5: Keras inference, then one training call and the moving statistics it leaves', async () => {
  clearSession();
  const model = await loadModel(fixture('batch_norm.h5'), { compile: false });
  const bn = model.getLayer('bn') as BatchNormalization;
  assert.deepEqual([bn.momentum, bn.epsilon], [0.9, 1e-3]);
  assert.deepEqual(bn.weights.map((w) => w.name), ['bn/gamma:0', 'bn/beta:0', 'bn/moving_mean:0', 'bn/moving_variance:0']);
  const x = jsonTensor(fixture('batch_norm.inputs.json'));
  assertClose(model.apply(x), 'batch_norm.outputs.json');
  assertClose(model.apply(x, { training: true }), 'batch_norm.training_outputs.json');
  assertClose(bn.weights[2]!.value, 'batch_norm.moving_mean.json', 1e-6);
  assertClose(bn.weights[3]!.value, 'batch_norm.moving_variance.json', 1e-6);
});

test('separable.h5: rescaling, padding, depthwise, separable, up-sampling, cropping, permute, reshape and the new activations', async () => {
  clearSession();
  const model = await loadModel(fixture('separable.h5'), { compile: false });
  assert.deepEqual(model.layers.map((l) => l.className), ['Rescaling', 'ZeroPadding2D', 'DepthwiseConv2D', 'BatchNormalization',
    'SeparableConv2D', 'LeakyReLU', 'UpSampling2D', 'Cropping2D', 'Activation', 'Permute', 'Reshape', 'Dense', 'Activation',
    'Flatten', 'Dense', 'Softmax']);
  assertClose(await model.predict(jsonTensor(fixture('separable.inputs.json'))), 'separable.outputs.json');
});

/** The output of `layer` in its model's graph for input x (the graph's first application of each layer). */
function outputOf(layer: Layer, x: Tensor, memo = new Map<Layer, Tensor>()): Tensor {
  if (layer instanceof InputLayer) return x;
  let y = memo.get(layer);
  if (!y) {
    const inputs = layer.inboundNodes[0]!.inputs.map((s) => outputOf(s.node.layer, x, memo));
    memo.set(layer, (y = layer.callInputs(inputs, { training: false })));
  }
  return y;
}

test("mobilenet_v2_blocks.h5: Keras's MobileNetV2 stem and first blocks, by name into applications.mobilenetV2", async () => {
  clearSession();
  const model = await mobilenetV2({ weights: null, includeTop: false, inputShape: [32, 32, 3] });
  await loadWeights(model, fixture('mobilenet_v2_blocks.h5'), { byName: true });
  const x = jsonTensor(fixture('mobilenet_v2_blocks.inputs.json'));
  assertClose(outputOf(model.getLayer('block_2_add'), x), 'mobilenet_v2_blocks.outputs.json');
  // The whole network, run as one graph (batch normalizations folded into the convolutions),
  // agrees with its layers run one by one.
  const whole = await model.predict(x);
  const layerByLayer = outputOf(model.getLayer('out_relu'), x);
  assert.ok(maxAbsDiff(whole.data, layerByLayer.data) < 1e-4);
});

test("mobilenet_v2_blocks as Keras 3 wrote the model itself (.h5 and .keras, uncompiled): loadModel reproduces Keras's outputs", async () => {
  for (const file of [fixture('mobilenet_v2_blocks.h5'), join(REPO, 'test', 'fixtures', 'keras3', 'mobilenet_v2_blocks.keras')]) {
    clearSession();
    const model = await loadModel(file);
    assert.equal(model.compiled, null, `${file}: Keras saved it uncompiled`);
    assertClose(await model.predict(jsonTensor(fixture('mobilenet_v2_blocks.inputs.json'))), 'mobilenet_v2_blocks.outputs.json');
  }
});
