// Loading never runs code and never returns a half-loaded model: every bad file is an error
// that names the file, the layer and what was expected.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import h5wasm from 'h5wasm/node';
import { loadModel } from '../../src/io/load-model.js';
import { loadWeights, saveWeights } from '../../src/io/weights.js';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import { clearSession } from '../../src/models/naming.js';
import { FIXTURES, tempDir, writeRawH5 } from './helpers.js';

const K22 = join(FIXTURES, 'k22_small_convnet.h5');

/** A copy of the K22 fixture whose model_config has been edited by `edit`. */
async function withConfig(dir: string, edit: (config: any) => void): Promise<string> {
  const path = join(dir, 'edited.h5');
  copyFileSync(K22, path);
  await h5wasm.ready;
  const file = new h5wasm.File(path, 'a');
  const config = JSON.parse(file.attrs.model_config!.value as string);
  edit(config);
  file.delete_attribute('model_config');
  file.create_attribute('model_config', JSON.stringify(config), null, 'A');
  file.close();
  return path;
}

test('an unknown layer class (e.g. Lambda) is refused, naming the file, the layer and the known classes', async (t) => {
  clearSession();
  const path = await withConfig(tempDir(t), (c) => {
    c.config.layers[2] = { class_name: 'Lambda', config: { name: 'evil', function: ['print(1)', null, null] } };
  });
  await assert.rejects(loadModel(path), (e: Error) =>
    e.message.includes(path) && /layer #3 'evil'/.test(e.message) && /unknown layer class 'Lambda'/.test(e.message) && /Conv2D, Dense/.test(e.message));
});

test('a config that does not match the weights names the layer and both shapes', async (t) => {
  clearSession();
  const path = await withConfig(tempDir(t), (c) => { c.config.layers[0].config.filters = 5; });
  await assert.rejects(loadModel(path), (e: Error) =>
    e.message.includes(path) && e.message.includes("'conv2d_1'") && e.message.includes('(3, 3, 3, 5)') && e.message.includes('(3, 3, 3, 4)'));
  const bad = await withConfig(tempDir(t), (c) => { c.config.layers[3].config.units = 'three'; });
  await assert.rejects(loadModel(bad), /layer #4 'dense_1'.*'units' should be a number, got "three"/);
});

test('missing, non-HDF5 and truncated files are errors naming the file', async (t) => {
  const dir = tempDir(t);
  await assert.rejects(loadModel(join(dir, 'absent.h5')), /absent\.h5: cannot read the file \(ENOENT\)/);
  writeFileSync(join(dir, 'text.h5'), 'not hdf5 at all');
  await assert.rejects(loadModel(join(dir, 'text.h5')), /text\.h5: not an HDF5 file/);
  writeFileSync(join(dir, 'cut.h5'), readFileSync(K22).subarray(0, 5000));
  await assert.rejects(loadModel(join(dir, 'cut.h5')), /cut\.h5: HDF5 cannot open the file, it is truncated or corrupt \(truncated file/);
  await assert.rejects(loadModel(join(FIXTURES, 'weights_only_by_name.h5')), /weights-only file; build the model and call loadWeights/);
});

test('a dataset of the wrong dtype or a missing dataset is an error, and the model keeps its weights', async (t) => {
  clearSession();
  const dir = tempDir(t);
  const model = sequential([layers.dense({ name: 'a', units: 2, inputShape: [3] }), layers.dense({ name: 'b', units: 1 })]);
  const before = model.weights.map((w) => w.value.f32.slice());
  const write = (path: string, biasOfB: 'float64' | 'missing') => writeRawH5(path, (f) => {
    f.create_attribute('layer_names', ['a', 'b'], null, 'A1');
    for (const [name, inDim, units] of [['a', 3, 2], ['b', 2, 1]] as const) {
      const g = f.create_group(name);
      g.create_attribute('weight_names', [`${name}/kernel:0`, `${name}/bias:0`], null, 'A10');
      const sub = g.create_group(name);
      sub.create_dataset({ name: 'kernel:0', data: new Float32Array(inDim * units).fill(7), shape: [inDim, units], dtype: '<f' });
      if (name === 'a') sub.create_dataset({ name: 'bias:0', data: new Float32Array(units), shape: [units], dtype: '<f' });
      else if (biasOfB === 'float64') sub.create_dataset({ name: 'bias:0', data: new Float64Array(units), shape: [units], dtype: '<d' });
    }
  });
  await write(join(dir, 'f64.h5'), 'float64');
  await assert.rejects(loadWeights(model, join(dir, 'f64.h5')), (e: Error) =>
    e.message.includes('f64.h5') && e.message.includes("layer 'b'") && /stored as <d; expected little-endian float32/.test(e.message));
  await write(join(dir, 'hole.h5'), 'missing');
  await assert.rejects(loadWeights(model, join(dir, 'hole.h5')), /hole\.h5: layer 'b': weight 'b\/bias:0' is listed in weight_names but is not a dataset/);
  model.weights.forEach((w, i) => assert.deepEqual(w.value.f32, before[i], `${w.name} untouched after the failed loads`));
});

test('a weights file with a different architecture is refused before anything is assigned', async (t) => {
  clearSession();
  const path = join(tempDir(t), 'w.h5');
  await saveWeights(sequential([layers.dense({ units: 4, inputShape: [3] }), layers.dense({ units: 2 })]), path);
  const other = sequential([layers.dense({ units: 4, inputShape: [3] }), layers.dense({ units: 3 })]);
  const before = other.weights.map((w) => w.value.f32.slice());
  await assert.rejects(loadWeights(other, path), /dense_4.*\(4, 3\) in the model.*\(4, 2\)/);
  other.weights.forEach((w, i) => assert.deepEqual(w.value.f32, before[i], 'the first layer matched but was not assigned'));
});
