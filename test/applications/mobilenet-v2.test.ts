import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { mobilenetV2 } from '../../src/applications/mobilenet-v2.js';
import { saveWeights } from '../../src/io/weights.js';
import { clearSession } from '../../src/models/naming.js';
import { tensor } from '../../src/tensor/create.js';
import { randomTensor } from '../helpers/grad-check.js';

test("MobileNetV2 at 224×224 without the top: Keras's 2,257,984 parameters, layer names and output", async () => {
  clearSession();
  const base = await mobilenetV2({ weights: null, includeTop: false });
  assert.equal(base.name, 'mobilenetv2_1.00_224');
  assert.equal(base.countParams(), 2_257_984);
  assert.equal(base.nonTrainableWeights.reduce((n, w) => n + w.value.size, 0), 34_112);
  assert.equal(base.weights.length, 260);
  assert.deepEqual(base.outputShape, [null, 7, 7, 1280]);
  assert.equal(base.layers.length, 154);
  const names = base.layers.map((l) => l.name);
  assert.deepEqual(names.slice(1, 10), ['Conv1', 'bn_Conv1', 'Conv1_relu', 'expanded_conv_depthwise', 'expanded_conv_depthwise_BN',
    'expanded_conv_depthwise_relu', 'expanded_conv_project', 'expanded_conv_project_BN', 'block_1_expand']);
  assert.deepEqual(names.slice(-4), ['block_16_project_BN', 'Conv_1', 'Conv_1_bn', 'out_relu']);
  assert.deepEqual(names.filter((n) => n.endsWith('_add')), ['block_2_add', 'block_4_add', 'block_5_add', 'block_7_add',
    'block_8_add', 'block_9_add', 'block_11_add', 'block_12_add', 'block_14_add', 'block_15_add']);
  assert.deepEqual(base.getLayer('block_1_pad').getConfig().padding, [[0, 1], [0, 1]]);
  const top = await mobilenetV2({ weights: null });
  assert.equal(top.countParams(), 3_538_984);
  assert.deepEqual(top.outputShape, [null, 1000]);
});

test('MobileNetV2 runs small images, padding an odd side on both ends and an even one after, as Keras does', async () => {
  const base = await mobilenetV2({ weights: null, includeTop: false, inputShape: [33, 35, 3], pooling: 'avg' });
  assert.deepEqual(base.getLayer('block_1_pad').getConfig().padding, [[1, 1], [0, 1]]);
  const y = await base.predict(randomTensor([2, 33, 35, 3], 1));
  assert.deepEqual(y.shape, [2, 1280]);
  assert.ok(y.data.every((v) => v >= 0 && v <= 6) && y.data.some((v) => v > 0));
  assert.deepEqual(Array.from(mobilenetV2.preprocessInput(tensor([0, 127.5, 255])).data), [-1, 0, 1]);
});

test("'imagenet' loads Keras's file by position from $DEEPTYPE_HOME/models: every weighted layer and shape must match", async () => {
  const home = await mkdtemp(join(tmpdir(), 'deeptype-home-'));
  const saved = process.env.DEEPTYPE_HOME;
  process.env.DEEPTYPE_HOME = home;
  try {
    const source = await mobilenetV2({ weights: null, includeTop: false, inputShape: [96, 96, 3] });
    await mkdir(join(home, 'models'));
    await saveWeights(source, join(home, 'models', 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5'));
    const loaded = await mobilenetV2({ includeTop: false, inputShape: [96, 96, 3] });
    loaded.weights.forEach((w, i) => assert.deepEqual(w.value.data, source.weights[i]!.value.data, w.name));
    await assert.rejects(mobilenetV2({ includeTop: false, inputShape: [128, 128, 3] }),
      /mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1\.0_128_no_top\.h5 not found/);
  } finally {
    if (saved === undefined) delete process.env.DEEPTYPE_HOME;
    else process.env.DEEPTYPE_HOME = saved;
    await rm(home, { recursive: true, force: true });
  }
});
