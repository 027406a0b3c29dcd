// A file written by deeptype, read by h5py (the reader Keras uses): groups, attribute types
// (variable-length ASCII, fixed-length NUL-padded name lists, float64 (0,) empty lists) and data.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { saveModel } from '../../src/io/save-model.js';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import { clearSession } from '../../src/models/naming.js';
import { optimizers } from '../../src/optimizers/index.js';
import { randomUniform } from '../../src/tensor/create.js';
import { skipUnless } from '../helpers/paths.js';
import { pythonWithH5py, tempDir } from './helpers.js';

const python = pythonWithH5py();

const SCRIPT = `
import json, sys, h5py
f = h5py.File(sys.argv[1], 'r')
def kind(obj, name):
    t = obj.attrs.get_id(name).get_type()
    if isinstance(t, h5py.h5t.TypeStringID):
        return 'vlen-ascii' if t.is_variable_str() and t.get_cset() == h5py.h5t.CSET_ASCII else \\
            'fixed-ascii-nullpad-%d' % t.get_size() if t.get_strpad() == h5py.h5t.STR_NULLPAD and t.get_cset() == h5py.h5t.CSET_ASCII else 'other-string'
    return '%s%s' % (obj.attrs[name].dtype, obj.attrs[name].shape)
text = lambda v: v.decode('utf8') if isinstance(v, bytes) else v
mw = f['model_weights']
out = {
  'root': {k: [kind(f, k), text(f.attrs[k]) if k in ('keras_version', 'backend') else None] for k in f.attrs},
  'config_class': json.loads(f.attrs['model_config'])['class_name'],
  'loss': json.loads(f.attrs['training_config'])['loss'],
  'layer_names': [kind(mw, 'layer_names'), [n.decode('utf8') for n in mw.attrs['layer_names']]],
  'weights': {n.decode('utf8'): [kind(mw[n], 'weight_names'), [w.decode('utf8') for w in mw[n].attrs['weight_names']]] for n in mw.attrs['layer_names']},
  'kernel': [str(mw['conv2d_1/conv2d_1/kernel:0'].dtype), list(mw['conv2d_1/conv2d_1/kernel:0'].shape), mw['conv2d_1/conv2d_1/kernel:0'].chunks,
             float(mw['conv2d_1/conv2d_1/kernel:0'][0, 0, 0, 0])],
  'optimizer': [text(n) for n in f['optimizer_weights'].attrs['weight_names']][:2],
}
print(json.dumps(out))
`;

test('h5py reads a deeptype file with the K22 layout and string types', {
  skip: skipUnless(python !== null, 'python3 with h5py is not installed (apt-get install -y python3-h5py; .ci/run installs it)'),
}, async (t) => {
  clearSession();
  const model = sequential([
    layers.conv2d({ filters: 2, kernelSize: 3, activation: 'relu', inputShape: [5, 5, 1] }),
    layers.flatten(),
    layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer: optimizers.adam(), loss: 'binary_crossentropy', metrics: ['acc'] });
  await model.fit(randomUniform([4, 5, 5, 1]), randomUniform([4, 1]), { epochs: 1, verbose: 0 });
  const path = join(tempDir(t), 'model.h5');
  await saveModel(model, path);
  const r = spawnSync(python!, ['-c', SCRIPT, path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const seen = JSON.parse(r.stdout);
  assert.deepEqual(seen.root, {
    keras_version: ['vlen-ascii', '2.2.4'], backend: ['vlen-ascii', 'tensorflow'],
    model_config: ['vlen-ascii', null], training_config: ['vlen-ascii', null],
  });
  assert.equal(seen.config_class, 'Sequential');
  assert.equal(seen.loss, 'binary_crossentropy');
  assert.deepEqual(seen.layer_names, ['fixed-ascii-nullpad-9', ['conv2d_1', 'flatten_1', 'dense_1']]);
  assert.deepEqual(seen.weights, {
    conv2d_1: ['fixed-ascii-nullpad-17', ['conv2d_1/kernel:0', 'conv2d_1/bias:0']],
    flatten_1: ['float64(0,)', []],
    dense_1: ['fixed-ascii-nullpad-16', ['dense_1/kernel:0', 'dense_1/bias:0']],
  });
  assert.deepEqual(seen.kernel, ['float32', [3, 3, 1, 2], null, model.layers[0]!.getWeights()[0]!.f32[0]]);
  assert.deepEqual(seen.optimizer, ['Adam/iterations:0', 'training/Adam/Variable:0']);
});
