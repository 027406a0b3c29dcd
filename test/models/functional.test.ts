import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Backend } from '../../src/backend/backend.js';
import { getBackend } from '../../src/backend/index.js';
import { layers } from '../../src/layers/index.js';
import { concat } from '../../src/ops/shape.js';
import { model, sequential } from '../../src/models/factories.js';
import { input } from '../../src/models/input-layer.js';
import { clearSession } from '../../src/models/naming.js';
import { optimizers } from '../../src/optimizers/index.js';
import { setSeed } from '../../src/tensor/random.js';
import { barsDataset } from '../../src/data/synthetic-bars.js';
import { randomTensor } from '../helpers/grad-check.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import type { Layer } from '../../src/models/layer.js';

const quiet = { print: () => {} };

/**
 * Runs `body` while counting calls to the backend's method `name` (body may reset the count),
 * and puts the method back afterwards.
 */
async function countingCalls(name: keyof Backend, body: (count: { calls: number }) => Promise<void>): Promise<void> {
  const backend = getBackend() as unknown as Record<string, (...args: unknown[]) => unknown>;
  const original = backend[name]!;
  const count = { calls: 0 };
  backend[name] = (...args) => { count.calls++; return original.apply(backend, args); };
  try {
    await body(count);
  } finally {
    backend[name] = original;
  }
}

function fireLike() {
  const x = input({ shape: [8, 8, 3] });
  const squeeze = layers.conv2d({ filters: 2, kernelSize: 1, activation: 'relu', name: 'squeeze' }).apply(x);
  const e1 = layers.conv2d({ filters: 3, kernelSize: 1, activation: 'relu', name: 'expand1x1' }).apply(squeeze);
  const e3 = layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', name: 'expand3x3' }).apply(squeeze);
  const merged = layers.concatenate({ name: 'concat' }).apply([e1, e3]);
  return { x, merged, m: model({ inputs: x, outputs: merged, name: 'fire' }) };
}

test('a branching graph: shapes, layer order, params and the Connected to column', () => {
  clearSession();
  const { m } = fireLike();
  assert.deepEqual(m.layers.map((l) => l.name), ['input_1', 'squeeze', 'expand1x1', 'expand3x3', 'concat']);
  assert.deepEqual(m.outputShape, [null, 8, 8, 6]);
  assert.equal(m.countParams(), (3 + 1) * 2 + (2 + 1) * 3 + (9 * 2 + 1) * 3);
  const text = m.summary(quiet);
  const lines = text.split('\n');
  assert.equal(lines[0]!.length, 98);
  assert.match(text, /^Layer \(type\) +Output Shape +Param # +Connected to +$/m);
  assert.match(text, /^input_1 \(InputLayer\) +\(None, 8, 8, 3\) +0 +$/m);
  assert.match(text, /^expand3x3 \(Conv2D\) +\(None, 8, 8, 3\) +57 +squeeze\[0\]\[0\] +$/m);
  assert.match(text, /^concat \(Concatenate\) +\(None, 8, 8, 6\) +0 +expand1x1\[0\]\[0\] +$/m);
  assert.match(text, /^ +expand3x3\[0\]\[0\] +$/m);
});

test('a linear functional model prints like a Sequential, with its input layer', () => {
  clearSession();
  const x = input({ shape: [4] });
  const m = model({ inputs: x, outputs: layers.dense({ units: 2 }).apply(x) });
  const text = m.summary(quiet);
  assert.equal(text.split('\n')[0]!.length, 65);
  assert.match(text, /^input_1 \(InputLayer\) +\(None, 4\) +0 +$/m);
  assert.match(text, /^dense_1 \(Dense\) +\(None, 2\) +10 +$/m);
});

test('the graph computes what its layers compute, and trains end to end', async () => {
  clearSession();
  setSeed(4);
  const { m } = fireLike();
  const x = randomTensor([2, 8, 8, 3], 1);
  const out = m.apply(x);
  const [e1, e3] = [m.getLayer('expand1x1'), m.getLayer('expand3x3')];
  const s = m.getLayer('squeeze').apply(x);
  const a = e1.apply(s).data;
  const b = e3.apply(s).data;
  for (let p = 0; p < 2 * 64; p++) {
    for (let c = 0; c < 3; c++) {
      assert.equal(out.data[p * 6 + c], a[p * 3 + c]);
      assert.equal(out.data[p * 6 + 3 + c], b[p * 3 + c]);
    }
  }
  const classifier = sequential([m, layers.globalAveragePooling2d(), layers.dense({ units: 1, activation: 'sigmoid' })]);
  classifier.compile({ optimizer: optimizers.adam({ learningRate: 0.02 }), loss: 'binary_crossentropy', metrics: ['acc'] });
  const data = barsDataset({ samples: 64, size: 8, channels: 3, seed: 5 });
  const before = Array.from(m.getLayer('expand3x3').weights[0]!.value.data);
  const h = await classifier.fit(data.x, data.y, { epochs: 3, batchSize: 16, verbose: 0 });
  assert.ok(h.history.loss!.at(-1)! < h.history.loss![0]!);
  assert.notDeepEqual(Array.from(m.getLayer('expand3x3').weights[0]!.value.data), before, 'gradients reach both branches');
});

test('predict writes convolutions straight into their concatenation, unless something else reads them', async () => {
  clearSession();
  setSeed(6);
  const { m } = fireLike();
  const x = randomTensor([2, 8, 8, 3], 2);
  const s = m.getLayer('squeeze').apply(x);
  const eager = concat([m.getLayer('expand1x1').apply(s), m.getLayer('expand3x3').apply(s)], -1);
  await countingCalls('copyBlock', async (copies) => {
    assert.deepEqual(Array.from((await m.predict(x)).data), Array.from(eager.data));
    assert.equal(copies.calls, 0, 'the expand convolutions wrote into the concatenation');

    // expand1x1 feeds a second concatenation too, so neither may be computed in place.
    const input2 = input({ shape: [8, 8, 3] });
    const sq = layers.conv2d({ filters: 2, kernelSize: 1, activation: 'relu' }).apply(input2);
    const e1 = layers.conv2d({ filters: 3, kernelSize: 1 }).apply(sq);
    const e3 = layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }).apply(sq);
    const both = layers.concatenate().apply([layers.concatenate().apply([e1, e3]), e1]);
    const shared = model({ inputs: input2, outputs: both });
    const [l1, l3] = [e1.node.layer, e3.node.layer];
    const sx = sq.node.layer.apply(x);
    const y1 = l1.apply(sx);
    const expected = concat([concat([y1, l3.apply(sx)], -1), y1], -1);
    copies.calls = 0;
    assert.deepEqual(Array.from((await shared.predict(x)).data), Array.from(expected.data));
    assert.equal(copies.calls, 4, 'both concatenations copy their two inputs');
  });
});

test('predict pools each convolution that only a max pool reads without storing it, in Sequential and Functional', async () => {
  clearSession();
  setSeed(8);
  const x = randomTensor([3, 12, 12, 3], 3);
  const stack = sequential([
    layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [12, 12, 3] }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.conv2d({ filters: 5, kernelSize: 3, padding: 'same' }),
    layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
  ]);
  const input3 = input({ shape: [12, 12, 3] });
  const conv = layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }).apply(input3);
  const graph = model({ inputs: input3, outputs: layers.maxPooling2d({ poolSize: 2 }).apply(conv) });
  const eager = (layerList: readonly { apply(t: Tensor): Tensor }[]): number[] =>
    Array.from(layerList.reduce((h, l) => l.apply(h), x).data);
  await countingCalls('maxPool', async (pools) => {
    const expectedStack = eager(stack.layers);
    const expectedGraph = eager(graph.layers.slice(1));
    pools.calls = 0;
    assert.deepEqual(Array.from((await stack.predict(x)).data), expectedStack);
    assert.deepEqual(Array.from((await graph.predict(x)).data), expectedGraph);
    assert.equal(pools.calls, 0, 'every pool ran fused with its convolution');
  });
});

test('a max pool of a concatenation of convolutions pools each into its channels, unless the concatenation is read elsewhere', async () => {
  clearSession();
  setSeed(9);
  const { x: fireInput, merged } = fireLike();
  const pooled = model({ inputs: fireInput, outputs: layers.maxPooling2d({ poolSize: 3, strides: 2 }).apply(merged) });
  const shared = layers.maxPooling2d({ poolSize: 2 }).apply(merged);
  const alsoRead = model({ inputs: fireInput, outputs: layers.add().apply([shared, layers.maxPooling2d({ poolSize: 2 }).apply(merged)]) });
  const x = randomTensor([2, 8, 8, 3], 5);
  await countingCalls('maxPool', async (pools) => {
    const layerOf = (name: string): Layer => pooled.layers.find((l) => l.name === name)!;
    const squeezed = layerOf('squeeze').apply(x);
    const joined = concat([layerOf('expand1x1').apply(squeezed), layerOf('expand3x3').apply(squeezed)], -1);
    const expected = Array.from(pooled.layers[pooled.layers.length - 1]!.apply(joined).data);
    pools.calls = 0;
    assert.deepEqual(Array.from((await pooled.predict(x)).data), expected);
    assert.equal(pools.calls, 0, 'the pool ran inside the convolutions');
    await alsoRead.predict(x);
    assert.equal(pools.calls, 2, 'a concatenation two pools read is stored, and each pools it');
  });
});

test('a pointwise convolution of a concatenation of two convolutions of one input is one op, unless the concatenation is read elsewhere', async () => {
  clearSession();
  setSeed(10);
  // SqueezeNet's fire2 and fire3's squeeze, at 16 channels: the 3×3 expand takes the direct tile.
  const x = input({ shape: [9, 7, 16] });
  const e1 = layers.conv2d({ filters: 5, kernelSize: 1, activation: 'relu', name: 'e1' }).apply(x);
  const e3 = layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', name: 'e3' }).apply(x);
  const merged = layers.concatenate({ name: 'joined' }).apply([e1, e3]);
  const squeeze = layers.conv2d({ filters: 4, kernelSize: 1, activation: 'relu', name: 'next' });
  const fusedModel = model({ inputs: x, outputs: squeeze.apply(merged) });
  const alsoRead = model({ inputs: x, outputs: layers.concatenate().apply([squeeze.apply(merged), merged]) });
  const batch = randomTensor([3, 9, 7, 16], 11);
  await countingCalls('concatConv2dPointwise', async (fused) => {
    const layerOf = (name: string): Layer => fusedModel.layers.find((l) => l.name === name)!;
    const joined = concat([layerOf('e1').apply(batch), layerOf('e3').apply(batch)], -1);
    const expected = Array.from(squeeze.apply(joined).data);
    assert.deepEqual(Array.from((await fusedModel.predict(batch)).data), expected);
    assert.equal(fused.calls, 1, 'the concatenation was made and consumed in one op');
    await alsoRead.predict(batch);
    assert.equal(fused.calls, 1, 'a concatenation a second layer reads is stored');
  });
});

test('a nested functional model is one row, listed as (Model) in K22', () => {
  clearSession();
  const { m } = fireLike();
  const outer = sequential([m, layers.flatten(), layers.dense({ units: 1 })]);
  assert.match(outer.summary(quiet), /^fire \(Model\) +\(None, 8, 8, 6\) +74 +$/m);
});

test('graph errors: disconnected inputs and mismatched merges', () => {
  clearSession();
  const a = input({ shape: [4, 4, 1] });
  const b = input({ shape: [4, 4, 1] });
  const y = layers.conv2d({ filters: 1, kernelSize: 1 }).apply(b);
  assert.throws(() => model({ inputs: a, outputs: y }), /depend on input_2, which is not one of the model's inputs/);
  const c = layers.conv2d({ filters: 1, kernelSize: 3 }).apply(a);
  assert.throws(() => layers.add().apply([a, c]), /inputs must have the same shape/);
  assert.deepEqual(layers.dense({ units: 2 }).apply(a).shape, [null, 4, 4, 2], 'Dense multiplies along the last axis, as Keras');
});

test('predict gives an intermediate back once nothing reads it, and keeps what identity layers, fan-out and reshapes still use', async () => {
  clearSession();
  setSeed(9);
  const x = randomTensor([2, 6, 6, 3], 4);
  const same = (filters: number, kernelSize = 3) => layers.conv2d({ filters, kernelSize, padding: 'same', activation: 'relu' });
  const chain = sequential([layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [6, 6, 3] }),
    ...Array.from({ length: 5 }, () => same(4))], { name: 'chain' });

  const inp = input({ shape: [6, 6, 3] });
  const c1 = same(4).apply(inp);
  const kept = layers.dropout({ rate: 0.5 }).apply(c1);  // the same tensor as c1 at inference
  const c2 = same(4).apply(kept);
  const c3 = same(4, 1).apply(c1);  // c1 read a second time, after c2 exists
  const sum = layers.add().apply([c2, c3]);
  // Nested models must not give back their input: sum is read again after each.
  const innerInput = input({ shape: [6, 6, 4] });
  const nested = [
    sequential([layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', inputShape: [6, 6, 4] }), same(4)]),
    model({ inputs: innerInput, outputs: same(4).apply(same(4).apply(innerInput)) }),
  ].map((inner) => inner.apply(sum));
  const side = same(4).apply(sum);
  const out = layers.dense({ units: 3 }).apply(layers.flatten().apply(layers.add().apply([...nested, side])));
  const graph = model({ inputs: inp, outputs: out });

  // Which buffers the chain's convolutions write their outputs to.
  const written = new Set<unknown>();
  for (const layer of chain.layers as Layer[]) {
    const call = layer.call.bind(layer);
    layer.call = (...args: Parameters<Layer['call']>) => { const y = call(...args); written.add(y.data); return y; };
  }
  for (const m of [chain, graph]) {
    // Outside a step nothing is given back early: the reference values.
    const expected = Array.from(m.apply(x).data);
    await m.predict(x);
    written.clear();
    assert.deepEqual(Array.from((await m.predict(x)).data), expected, m.name);
    if (m === chain) assert.equal(written.size, 2, 'six convolutions of one shape take turns in two buffers');
  }
});

test('a model built from a Sequential model\'s layer outputs shares its weights and predicts every output in order', async () => {
  clearSession();
  setSeed(4);
  const base = sequential([
    layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 2] }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.flatten(),
    layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
  // Layer outputs first, as the book's R code reads them: the Sequential made its graph when built.
  const outputs = base.layers.slice(0, 2).map((l) => l.output);
  const taps = model({ inputs: base.input, outputs });
  assert.equal(taps.multiOutput, true);
  assert.deepEqual(taps.outputNames, ['conv2d_1', 'max_pooling2d_1']);
  assert.equal(taps.countParams(), 3 * 3 * 2 * 3 + 3);
  const x = randomTensor([2, 8, 8, 2], 1);
  const [conv, pool] = await taps.predict(x);
  assert.deepEqual(conv!.shape, [2, 6, 6, 3]);
  assert.deepEqual(pool!.shape, [2, 3, 3, 3]);
  assert.deepEqual(conv!.f32, base.layers[0]!.apply(x).f32);
  assert.deepEqual(pool!.f32, base.layers[1]!.apply(conv!).f32);
  // Shared, not copied: changing the Sequential's kernel changes what the new model computes.
  const kernel = base.layers[0]!.getWeights()[0]!;
  base.layers[0]!.setWeights([kernel.f32.map((v) => 2 * v), base.layers[0]!.getWeights()[1]!]);
  const [doubled] = await taps.predict(x);
  assert.notDeepEqual(doubled!.f32, conv!.f32);
  // A list of one output is still a list, as in Keras; a single tensor stays a tensor.
  const one = await model({ inputs: base.input, outputs: [base.output] }).predict(x);
  assert.ok(Array.isArray(one) && one.length === 1);
  assert.deepEqual(one[0]!.f32, (await base.predict(x)).f32);
  assert.throws(() => layers.dense({ units: 1 }).output, /no symbolic output yet/);
});

test('several inputs and outputs: predict in batches concatenates each output; such a model cannot be nested as a layer', async () => {
  clearSession();
  setSeed(5);
  const x = input({ shape: [4, 4, 1] });
  const h = layers.conv2d({ filters: 2, kernelSize: 1, activation: 'relu' }).apply(x);
  const a = layers.dense({ units: 3, activation: 'softmax' }).apply(layers.flatten().apply(h));
  const b = layers.globalAveragePooling2d().apply(h);
  const m = model({ inputs: x, outputs: [a, b] });
  const data = randomTensor([5, 4, 4, 1], 2);
  const [pa, pb] = await m.predict(data, { batchSize: 2 });
  const [wa, wb] = await m.predict(data, { batchSize: 8 });
  assert.deepEqual(pa!.shape, [5, 3]);
  assert.deepEqual(pb!.shape, [5, 2]);
  assert.deepEqual(pa!.f32, wa!.f32);
  assert.deepEqual(pb!.f32, wb!.f32);
  assert.throws(() => sequential([m]), /1 input\(s\) and 2 output\(s\) cannot be nested/);

  const y = input({ shape: [4, 4, 1] });
  const two = model({ inputs: [x, y], outputs: layers.add().apply([x, y]) });
  const [p, q] = [randomTensor([1, 4, 4, 1], 3), randomTensor([1, 4, 4, 1], 4)];
  const [sum] = two.callOutputs([p, q], { training: false });
  assert.deepEqual(Array.from(sum!.f32), Array.from(p.f32, (v, i) => Math.fround(v + q.f32[i]!)));
  assert.throws(() => two.callOutputs([p], { training: false }), /expected 2 input tensor\(s\) \(input_1, input_2\), got 1/);
  const [p5, q5] = [randomTensor([5, 4, 4, 1], 6), randomTensor([5, 4, 4, 1], 7)];
  assert.deepEqual((await two.predict([p5, q5], { batchSize: 2 })).f32, two.callOutputs([p5, q5], { training: false })[0]!.f32);
  await assert.rejects(two.predict([p5, randomTensor([4, 4, 4, 1], 8)]), /every input must have the same number of samples, got 5 and 4/);
});

test('a two-input model trains on a list of x arrays: evaluate and predict read them too', async () => {
  clearSession();
  setSeed(6);
  const bars = barsDataset({ samples: 128, seed: 4 });
  const noise = randomTensor([128, 16, 16, 1], 9, 0, 0.1);
  const [a, b] = [input({ shape: [16, 16, 1] }), input({ shape: [16, 16, 1] })];
  const joined = layers.concatenate().apply([a, b]);
  const h = layers.globalAveragePooling2d().apply(layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu' }).apply(joined));
  const m = model({ inputs: [a, b], outputs: layers.dense({ units: 1, activation: 'sigmoid' }).apply(h) });
  m.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'binaryCrossentropy', metrics: ['acc'] });
  const history = await m.fit([bars.x, noise], bars.y, { epochs: 10, batchSize: 16, verbose: 0, validationData: [[bars.x, noise], bars.y] });
  assert.ok(history.history.loss!.at(-1)! < history.history.loss![0]!, JSON.stringify(history.history.loss));
  const { acc } = await m.evaluate([bars.x, noise], bars.y, { verbose: 0 });
  assert.ok(acc! >= 0.9, `accuracy ${acc}`);
  assert.deepEqual((await m.predict([bars.x, noise])).shape, [128, 1]);
});
