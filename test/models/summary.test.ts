import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setProfile } from '../../src/config.js';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import { clearSession } from '../../src/models/naming.js';
import { lectureConvnet as convnet } from '../../src/cli/model-kinds.js';

const lectureConvnet = (dropout = false) => convnet([150, 150], dropout);

const quiet = { print: () => {} };

// The K22 text from ../shared/spec/summary-and-training.md §1 (computed from Keras 2.2.4's rules).
const LECTURE_SUMMARY = `_________________________________________________________________
Layer (type)                 Output Shape              Param #   
=================================================================
conv2d_1 (Conv2D)            (None, 148, 148, 32)      896       
_________________________________________________________________
max_pooling2d_1 (MaxPooling2 (None, 74, 74, 32)        0         
_________________________________________________________________
conv2d_2 (Conv2D)            (None, 72, 72, 64)        18496     
_________________________________________________________________
max_pooling2d_2 (MaxPooling2 (None, 36, 36, 64)        0         
_________________________________________________________________
conv2d_3 (Conv2D)            (None, 34, 34, 128)       73856     
_________________________________________________________________
max_pooling2d_3 (MaxPooling2 (None, 17, 17, 128)       0         
_________________________________________________________________
conv2d_4 (Conv2D)            (None, 15, 15, 128)       147584    
_________________________________________________________________
max_pooling2d_4 (MaxPooling2 (None, 7, 7, 128)         0         
_________________________________________________________________
flatten_1 (Flatten)          (None, 6272)              0         
_________________________________________________________________
dense_1 (Dense)              (None, 512)               3211776   
_________________________________________________________________
dense_2 (Dense)              (None, 1)                 513       
=================================================================
Total params: 3,453,121
Trainable params: 3,453,121
Non-trainable params: 0
_________________________________________________________________`;

test('the lecture convnet summary matches Keras 2.2.4 character for character', () => {
  clearSession();
  const model = lectureConvnet();
  assert.equal(model.summary(quiet), LECTURE_SUMMARY);
  assert.equal(model.countParams(), 3_453_121);
});

test('building the model twice in one session continues the name counters', () => {
  clearSession();
  lectureConvnet();
  const second = lectureConvnet();
  assert.deepEqual(second.layers.map((l) => l.name).slice(0, 2), ['conv2d_5', 'max_pooling2d_5']);
  assert.equal(second.layers.at(-1)!.name, 'dense_4');
});

test('the no-pooling model: shapes and counts', () => {
  clearSession();
  const model = sequential()
    .add(layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }))
    .add(layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }))
    .add(layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
  const text = model.summary(quiet);
  assert.match(text, /conv2d_1 \(Conv2D\) +\(None, 26, 26, 32\) +320 /);
  assert.match(text, /conv2d_2 \(Conv2D\) +\(None, 24, 24, 64\) +18496 /);
  assert.match(text, /conv2d_3 \(Conv2D\) +\(None, 22, 22, 64\) +36928 /);
  assert.match(text, /Total params: 55,744/);
});

test('dropout adds a row and no params; R width 80 shows full class names', () => {
  clearSession();
  const text = lectureConvnet(true).summary({ ...quiet, lineLength: 80 });
  assert.match(text, /^dropout_1 \(Dropout\) +\(None, 6272\) +0 +$/m);
  assert.match(text, /^max_pooling2d_1 \(MaxPooling2D\) {6}\(None, 74, 74, 32\)/m);
  assert.match(text, /Total params: 3,453,121/);
  assert.equal(text.split('\n')[0]!.length, 80);
});

test('a nested Sequential is one row; freezing it moves its params to non-trainable', () => {
  clearSession();
  const base = sequential([layers.conv2d({ filters: 4, kernelSize: 3, inputShape: [8, 8, 3] }), layers.maxPooling2d()]);
  const model = sequential([base, layers.flatten(), layers.dense({ units: 1, activation: 'sigmoid' })]);
  let text = model.summary(quiet);
  assert.match(text, /^sequential_1 \(Sequential\) +\(None, 3, 3, 4\) +112 +$/m);
  assert.match(text, /Total params: 149\nTrainable params: 149\nNon-trainable params: 0/);
  base.trainable = false;
  text = model.summary(quiet);
  assert.match(text, /Trainable params: 37\nNon-trainable params: 112/);
});

test('TF2 profile: zero-based names and a Model header', () => {
  clearSession();
  setProfile('TF2');
  try {
    const model = sequential([layers.dense({ units: 2, inputShape: [3] }), layers.dense({ units: 1 })]);
    assert.deepEqual(model.layers.map((l) => l.name), ['dense', 'dense_1']);
    assert.match(model.summary(quiet), /^Model: "sequential"\n/);
  } finally {
    setProfile('K22');
  }
});
