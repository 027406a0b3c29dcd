// Loading never runs code and never returns a half-loaded model: every bad file is an error
// that names the file, the layer and what was expected.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadModel } from '../../src/io/load-model.js';
import { loadWeights, saveWeights } from '../../src/io/weights.js';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import { clearSession } from '../../src/models/naming.js';
import { h5wasm } from '../helpers/h5.js';
import { needsSmallFs, runOnSmallFs } from '../helpers/small-fs.js';
import { FIXTURES, tempDir, writeRawH5 } from './helpers.js';

const K22 = join(FIXTURES, 'k22_small_convnet.h5');

/** A copy of the K22 fixture with its `attribute` (model_config by default) replaced by `text`. */
async function withAttribute(dir: string, text: (old: string) => string, attribute = 'model_config'): Promise<string> {
  const path = join(dir, 'edited.h5');
  copyFileSync(K22, path);
  const file = new h5wasm.File(path, 'a');
  const replaced = text(file.attrs[attribute]!.value as string);
  file.delete_attribute(attribute);
  file.create_attribute(attribute, replaced, null, 'A');
  file.close();
  return path;
}

/** A copy of the K22 fixture whose model_config has been edited by `edit`. */
function withConfig(dir: string, edit: (config: any) => void): Promise<string> {
  return withAttribute(dir, (old) => {
    const config = JSON.parse(old);
    edit(config);
    return JSON.stringify(config);
  });
}

test('an unknown layer class (e.g. Lambda) is refused, naming the file, the layer and the known classes', async (t) => {
  clearSession();
  const path = await withConfig(tempDir(t), (c) => {
    c.config.layers[2] = { class_name: 'Lambda', config: { name: 'evil', function: ['print(1)', null, null] } };
  });
  await assert.rejects(loadModel(path), (e: Error) =>
    e.message.includes(path) && /layer #3 'evil'/.test(e.message) && /unknown layer class 'Lambda'/.test(e.message) && /can load .*Conv2D, .*Dense, /.test(e.message));
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

test('a config claiming a Dense layer of a million or 2e9 units fails naming file and layer, before allocating it', async (t) => {
  for (const units of [1e6, 2e9]) {
    clearSession();
    const path = await withConfig(tempDir(t), (c) => { c.config.layers[3].config.units = units; });
    const rssBefore = process.memoryUsage().rss;
    await assert.rejects(loadModel(path), (e: Error) => e.message.startsWith(`${path}: layer 'dense_1' would create weight 'kernel' of shape (36, ${units})`) &&
      /far more than any weight the file stores .*model_config does not match the stored weights/.test(e.message));
    assert.ok(process.memoryUsage().rss - rssBefore < 100 * 2 ** 20, 'the claimed kernel was never allocated');
  }
});

test('a config nesting models 20,000 deep is refused without exhausting the stack', async (t) => {
  const depth = 20_000;
  const nested = '{"class_name": "Sequential", "config": {"layers": ['.repeat(depth) +
    '{"class_name": "Dense", "config": {"units": 1, "batch_input_shape": [null, 2]}}' + ']}}'.repeat(depth);
  const path = await withAttribute(tempDir(t), () => nested);
  await assert.rejects(loadModel(path), new RegExp(`^Error: ${path}: model_config: models nested more than 100 deep$`));
});

test('model_config or training_config that is not a JSON object names the attribute', async (t) => {
  const dir = tempDir(t);
  const list = await withAttribute(dir, () => '[1, 2]');
  await assert.rejects(loadModel(list), /edited\.h5: attribute 'model_config' should hold a JSON object, got \[1, 2\]/);
  const broken = await withAttribute(dir, (old) => old.slice(0, 40), 'training_config');
  await assert.rejects(loadModel(broken), /edited\.h5: attribute 'training_config' is not valid JSON/);
  assert.ok((await loadModel(broken, { compile: false })).built, 'without compile the broken training_config is not read');
});

test('a folder or a named pipe given as the model file is refused at once, never opened', { timeout: 20_000 }, async (t) => {
  const dir = tempDir(t);
  await assert.rejects(loadModel(dir), /: cannot read the file \(not a regular file\)/);
  execFileSync('mkfifo', [join(dir, 'pipe.h5')]);
  await assert.rejects(loadModel(join(dir, 'pipe.h5')), /pipe\.h5: cannot read the file \(not a regular file\)/);
});

test('loading by name that matches no layer is an error and changes nothing; a partial match names what was left', async (t) => {
  clearSession();
  const path = join(tempDir(t), 'w.h5');
  await saveWeights(sequential([layers.dense({ name: 'shared', units: 2, inputShape: [3] }), layers.dense({ name: 'head', units: 1 })]), path);
  const unrelated = sequential([layers.dense({ name: 'alpha', units: 2, inputShape: [3] }), layers.dense({ name: 'beta', units: 1 })]);
  const before = unrelated.weights.map((w) => w.value.f32.slice());
  await assert.rejects(loadWeights(unrelated, path, { byName: true }),
    /w\.h5: no layer of the model matches a layer of the file by name, so nothing was loaded \(file: shared, head; model: alpha, beta\)/);
  unrelated.weights.forEach((w, i) => assert.deepEqual(w.value.f32, before[i]));
  const warnings: string[] = [];
  t.mock.method(console, 'warn', (...a: unknown[]) => warnings.push(a.join(' ')));
  const partial = sequential([layers.dense({ name: 'shared', units: 2, inputShape: [3] }), layers.dense({ name: 'other', units: 1 })]);
  await loadWeights(partial, path, { byName: true });
  assert.deepEqual(warnings, [`${path}: loaded 1 of 2 layers by name; left as they were: other`]);
});

test('a save that runs out of disk space is one line naming the file and ENOSPC; the old file stays whole, no temp file is left', { skip: needsSmallFs }, () => {
  const r = runOnSmallFs(`
    import { readFileSync, readdirSync } from 'node:fs';
    import { layers } from './src/layers/index.ts';
    import { sequential } from './src/models/factories.ts';
    const target = process.env.DIR + '/model.h5';
    await sequential([layers.dense({ units: 1, inputShape: [2] })]).save(target);
    const before = readFileSync(target);
    let message = null;
    try { await sequential([layers.dense({ units: 64, inputShape: [512] })]).save(target); } catch (e) { message = e.message; }
    console.log(JSON.stringify({ message, files: readdirSync(process.env.DIR), intact: readFileSync(target).equals(before) }));`, { kilobytes: 64 });
  const out = JSON.parse(r.stdout);
  assert.match(out.message, /^\/.*\/model\.h5: cannot write the file: no space left on device \(ENOSPC\)$/);
  assert.deepEqual(out.files, ['model.h5']);
  assert.equal(out.intact, true);
});

test('a save to a read-only file system is one line naming the file and EROFS, and leaves nothing', { skip: needsSmallFs }, () => {
  const r = runOnSmallFs(`
    import { readdirSync } from 'node:fs';
    import { layers } from './src/layers/index.ts';
    import { sequential } from './src/models/factories.ts';
    const model = sequential([layers.dense({ units: 1, inputShape: [2] })]);
    const messages = [];
    for (const save of [() => model.save(process.env.DIR + '/model.h5'), () => model.saveWeights(process.env.DIR + '/w.h5')]) {
      try { await save(); } catch (e) { messages.push(e.message); }
    }
    console.log(JSON.stringify({ messages, files: readdirSync(process.env.DIR) }));`, { readOnly: true });
  const out = JSON.parse(r.stdout);
  assert.equal(out.messages.length, 2);
  assert.match(out.messages[0], /^\/.*\/model\.h5: cannot write the file: read-only file system \(EROFS\)$/);
  assert.match(out.messages[1], /^\/.*\/w\.h5: cannot write the file: read-only file system \(EROFS\)$/);
  assert.deepEqual(out.files, []);
});

test('temp files left by a killed save are removed when that path is next written; live and other ones are kept', async (t) => {
  clearSession();
  const dir = tempDir(t);
  const dead = spawnSync(process.execPath, ['-e', '']).pid!;
  const stale = join(dir, `.model.h5.${dead}.0123abcd.tmp`);
  const live = join(dir, `.model.h5.${process.pid}.89abcdef.tmp`);
  const other = join(dir, `.other.h5.${dead}.0123abcd.tmp`);
  for (const f of [stale, live, other]) writeFileSync(f, 'half a file');
  await sequential([layers.dense({ units: 1, inputShape: [2] })]).save(join(dir, 'model.h5'));
  assert.deepEqual(readdirSync(dir).sort(), [`.model.h5.${process.pid}.89abcdef.tmp`, `.other.h5.${dead}.0123abcd.tmp`, 'model.h5']);
});

test('a save to a folder or into a missing folder names the path, not a temp file', async (t) => {
  const dir = tempDir(t);
  const model = sequential([layers.dense({ units: 1, inputShape: [2] })]);
  await assert.rejects(model.save(dir), new RegExp(`^Error: ${dir}: cannot write, it is a folder; expected a file name$`));
  await assert.rejects(model.save(join(dir, 'no', 'm.h5')), /m\.h5: cannot write, the folder .*no does not exist/);
  assert.deepEqual(readdirSync(dir), []);
});
