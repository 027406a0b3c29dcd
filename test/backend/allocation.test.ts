// A buffer this machine cannot hold is a RangeError naming the op and the bytes, on either
// backend, and the process carries on: before, the native backend aborted (std::bad_alloc,
// exit 134) and the js one said "Invalid typed array length" naming nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBytes } from '../../src/backend/allocation.js';
import { unaryCode } from '../../src/backend/native/codes.js';
import { nativeAddon } from '../../src/backend/native/load.js';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import { clearSession } from '../../src/models/naming.js';
import { randomUniform, tensor, zeros } from '../../src/tensor/create.js';

test('zeros([1e5, 1e5]) is a RangeError naming zeros and 40 GB; small tensors still work', () => {
  assert.throws(() => zeros([1e5, 1e5]), (e: Error) =>
    e instanceof RangeError && /^zeros: cannot allocate 40000000000 bytes \(37\.3 GiB\) for 10000000000 float32 values/.test(e.message));
  assert.throws(() => randomUniform([3e9, 2]), /^RangeError: randomUniform: cannot allocate 24000000000 bytes/);
  assert.deepEqual(Array.from(zeros([2, 2]).data), [0, 0, 0, 0]);
});

test('a layer asking for an impossible weight names the layer and the weight', () => {
  clearSession();
  assert.throws(() => sequential().add(layers.dense({ units: 3e9, inputShape: [4] })),
    /^RangeError: layer 'dense_1': weight 'kernel': cannot allocate 48000000000 bytes/);
});

test('predict whose convolution output cannot exist names conv2d and its bytes; the model predicts afterwards', async () => {
  clearSession();
  // 300×300 pixels × 50,000 filters: 18 GB of output from a 360 KB input.
  const model = sequential([layers.conv2d({ filters: 50_000, kernelSize: 1, inputShape: [300, 300, 1], useBias: false })]);
  await assert.rejects(model.predict(zeros([1, 300, 300, 1])), /^RangeError: conv2d: cannot allocate 18000000000 bytes/);
  const small = sequential([layers.dense({ units: 1, inputShape: [2] })]);
  assert.equal((await small.predict(tensor([[1, 2]]))).shape[0], 1);
});

test('sizes read as bytes, KiB, MiB, GiB', () => {
  assert.deepEqual([1000, 4096, 5 * 2 ** 20, 40e9].map(formatBytes), ['1000 bytes', '4.0 KiB', '5.0 MiB', '37.3 GiB']);
});

const addon = nativeAddon();
test('memory the OS refuses to the addon is a RangeError, and its pool and kernels keep working', { skip: addon ? false : 'native addon not built' }, () => {
  // 2^47 floats: 512 TiB, past any address space, so the OS refuses whatever its overcommit policy.
  assert.throws(() => addon!.alloc(2 ** 47), (e: Error) =>
    e instanceof RangeError && e.message === 'alloc: cannot allocate 562949953421312 bytes of native memory');
  const x = addon!.alloc(4);
  x.set([-1, 2, -3, 4]);
  const y = addon!.alloc(4);
  addon!.unary(y, unaryCode.relu, x, 4);
  assert.deepEqual(Array.from(y), [0, 2, 0, 4]);
});
