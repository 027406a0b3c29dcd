/**
 * `runLayerTest`, as Keras's run_layer_test: every layer passes the same checks of its output
 * shape, weight counts, Keras config and HDF5 round trips, gradients and backends.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { valueAndGrads } from '../../src/autograd/grad.js';
import { noGrad } from '../../src/autograd/tape.js';
import { backendName, setBackend } from '../../src/backend/index.js';
import { loadModel } from '../../src/io/load-model.js';
import { saveModel } from '../../src/io/save-model.js';
import { layerFromConfig } from '../../src/layers/registry.js';
import { model } from '../../src/models/factories.js';
import { input } from '../../src/models/input-layer.js';
import type { CallContext, Layer, LayerConfig } from '../../src/models/layer.js';
import type { Model } from '../../src/models/model.js';
import { mul } from '../../src/ops/arithmetic.js';
import { sum } from '../../src/ops/reduce.js';
import { Random } from '../../src/tensor/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { checkGrad, type GradCheckOptions, randomTensor } from './grad-check.js';
import { REPO } from './paths.js';

export interface LayerTestSpec {
  /** A fresh layer, unbuilt and without an input shape. */
  make: () => Layer;
  /** One sample's input shape (no batch axis). */
  inputShape: number[];
  /** For merge layers: how many inputs of that shape it takes; default 1. */
  inputs?: number;
  /** The expected output shape of one sample (no batch axis). */
  outputShape: (number | null)[];
  trainableWeights: number;
  nonTrainableWeights: number;
  /** Calls made in training mode (batch statistics, augmentation); default false. */
  training?: boolean;
  /** Input values are drawn uniformly from this range; default [-1, 1]. */
  range?: [number, number];
  /**
   * Inputs are instead a shuffle of evenly spaced values, none at 0, for layers with kinks
   * (relu, max): finite differences with a step below the spacing never straddle one.
   */
  distinct?: boolean;
  /** Options of the finite-difference check over the inputs and trainable weights; false skips it (random layers). */
  grad?: GradCheckOptions | false;
  /** Largest js-vs-native difference, relative to the largest output magnitude; default 1e-5. */
  backendTolerance?: number;
}

const BATCH = 2;

/** The checks, in the order a failure is easiest to read. */
export async function runLayerTest(spec: LayerTestSpec): Promise<void> {
  const count = spec.inputs ?? 1;
  const xs = Array.from({ length: count }, (_, i) => (spec.distinct ? spacedTensor : randomTensor)(
    [BATCH, ...spec.inputShape], 11 + i, ...(spec.range ?? [-1, 1])));
  const context: CallContext = { training: spec.training ?? false };
  const layer = spec.make();
  const call = (l: Layer, inputs: readonly Tensor[]): Tensor => l.callInputs(inputs, context);

  const y = noGrad(() => call(layer, xs));
  const where = `${layer.name} (${layer.className})`;
  assert.deepEqual(y.shape, [BATCH, ...spec.outputShape], `${where}: output shape`);
  const shapes = xs.map(() => [null, ...spec.inputShape]);
  assert.deepEqual(layer.computeOutputShapeFor(shapes), [null, ...spec.outputShape], `${where}: computeOutputShape`);
  assert.equal(layer.trainableWeights.length, spec.trainableWeights, `${where}: trainable weights`);
  assert.equal(layer.nonTrainableWeights.length, spec.nonTrainableWeights, `${where}: non-trainable weights`);
  assert.ok(y.data.every(Number.isFinite), `${where}: outputs are finite`);

  // Inference from here on: training-mode layers may draw or update statistics at each call.
  const infer = (l: Layer): Tensor => noGrad(() => l.callInputs(xs, { training: false }));
  const expected = infer(layer);

  const config = JSON.parse(JSON.stringify(layer.getConfig())) as LayerConfig;
  const copy = layerFromConfig(layer.className, { ...config, name: `${layer.name}_copy` }, 'round trip');
  assert.deepEqual({ ...copy.getConfig(), name: layer.name }, config, `${where}: config round trip`);
  infer(copy);
  copy.setWeights(layer.getWeights());
  assert.deepEqual(Array.from(infer(copy).data), Array.from(expected.data), `${where}: the copy computes the same`);

  await checkHdf5RoundTrip(copy, spec, xs, expected);

  if (spec.grad !== false) {
    const weights = layer.trainableWeights.map((w) => w.value);
    checkGrad((...all) => call(layer, all.slice(0, count)), [...xs, ...weights], spec.grad ?? {});
  }
  checkBackends(layer, xs, context, spec.backendTolerance ?? 1e-5);
}

/** Evenly spaced values in (lo, hi), the midpoints of n equal cells, in a seeded order. */
function spacedTensor(shape: number[], seed: number, lo: number, hi: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const order = new Random(seed).permutation(n);
  return new Tensor(Float32Array.from(order, (k) => lo + (k + 0.5) * (hi - lo) / n), shape);
}

/** Saved in a model and loaded back, the layer computes the same outputs. */
async function checkHdf5RoundTrip(layer: Layer, spec: LayerTestSpec, xs: readonly Tensor[], expected: Tensor): Promise<void> {
  const x = input({ shape: spec.inputShape });
  const saved = model({ inputs: x, outputs: layer.apply(xs.length > 1 ? xs.map(() => x) : x) });
  const dir = mkdtempSync(join(tmpdir(), 'deeptype-layer-'));
  try {
    const path = join(dir, 'layer.h5');
    await saveModel(saved, path);
    const loaded = await loadModel(path, { compile: false }) as Model;
    const reloaded = loaded.getLayer(layer.name);
    assert.deepEqual(reloaded.getConfig(), layer.getConfig(), `${layer.name}: config after HDF5`);
    const out = noGrad(() => reloaded.callInputs(xs, { training: false }));
    assert.deepEqual(Array.from(out.data), Array.from(expected.data), `${layer.name}: outputs after HDF5`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Outputs and gradients on the js reference backend and on the native one agree. */
function checkBackends(layer: Layer, xs: readonly Tensor[], context: CallContext, tolerance: number): void {
  if (!existsSync(join(REPO, 'build', 'Release', 'deeptype_native.node'))) {
    if (process.env.CI) throw new Error('CI runs every test, but the native addon is not built');
    return;
  }
  const original = backendName();
  const weights = layer.trainableWeights.map((w) => w.value);
  const probe = randomTensor([...noGrad(() => layer.callInputs(xs, context)).shape], 5);
  const run = (name: 'js' | 'native'): Float32Array[] => {
    setBackend(name);
    const { value, grads } = valueAndGrads(() => sum(mul(layer.callInputs(xs, context), probe)), [...xs, ...weights]);
    return [Float32Array.from(value.data), ...grads.map((g) => Float32Array.from(g.data))];
  };
  try {
    const [js, native] = [run('js'), run('native')];
    js.forEach((a, i) => {
      const b = native[i]!;
      const scale = Math.max(1, ...Array.from(a, Math.abs));
      const diff = Math.max(...Array.from(a, (v, j) => Math.abs(v - b[j]!)));
      assert.ok(diff <= tolerance * scale, `${layer.name}: js and native differ by ${diff} in ${i === 0 ? 'the objective' : `gradient ${i - 1}`}`);
    });
  } finally {
    setBackend(original as 'js' | 'native');
  }
}
