import assert from 'node:assert/strict';
import { test } from 'node:test';
import { valueAndGrads } from '../../src/autograd/grad.js';
import { relu } from '../../src/ops/activations.js';
import { add, mul } from '../../src/ops/arithmetic.js';
import { type Conv2DOptions, conv2d } from '../../src/ops/conv2d.js';
import { concatConv2d, concatConv2dMaxPool, concatConv2dPointwise, type ConvBranch } from '../../src/ops/concat-conv2d.js';
import { conv2dMaxPool } from '../../src/ops/conv2d-max-pool.js';
import { concat } from '../../src/ops/shape.js';
import { noGrad } from '../../src/autograd/tape.js';
import { axisGeometry } from '../../src/ops/padding.js';
import { averagePool2d, maxPool2d, type Pool2DOptions } from '../../src/ops/pool2d.js';
import { sum } from '../../src/ops/reduce.js';
import { preMaskedPooled } from '../../src/ops/relu-pool-grad.js';
import { tensor } from '../../src/tensor/create.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { checkGrad, randomTensor } from '../helpers/grad-check.js';

/** Equal within float32 rounding of sums taken in another order. */
function assertAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) {
    const [a, e] = [actual[i]!, expected[i]!];
    assert.ok(Math.abs(a - e) <= 1e-5 + 1e-4 * Math.abs(e), `${label}: element ${i} is ${a}, expected ${e}`);
  }
}

/** Channels [from, from + width) of an NHWC tensor, copied out. */
function channelSlice(t: Tensor, from: number, width: number): Tensor {
  const channels = t.shape[3]!;
  const out = new Float32Array((t.size / channels) * width);
  for (let p = 0; p < t.size / channels; p++) out.set(t.f32.subarray(p * channels + from, p * channels + from + width), p * width);
  return tensor(out, [...t.shape.slice(0, 3), width]);
}

test('TF same-padding rule puts the odd pixel at the end', () => {
  assert.deepEqual(axisGeometry(150, 3, 1, 'same'), { out: 150, padBefore: 1 });
  assert.deepEqual(axisGeometry(150, 3, 2, 'same'), { out: 75, padBefore: 0 });
  assert.deepEqual(axisGeometry(5, 2, 1, 'same'), { out: 5, padBefore: 0 });
  assert.deepEqual(axisGeometry(148, 2, 2, 'valid'), { out: 74, padBefore: 0 });
  assert.deepEqual(axisGeometry(15, 2, 2, 'valid'), { out: 7, padBefore: 0 });
});

test('conv2d is cross-correlation with NHWC input and [kh, kw, in, out] kernel', () => {
  const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
  const k = tensor([1, 0, 0, -1], [2, 2, 1, 1]);
  assert.deepEqual(Array.from(conv2d(x, k).data), [-4, -4, -4, -4]);
  const same = conv2d(x, k, { padding: 'same' });
  assert.deepEqual(same.shape, [1, 3, 3, 1]);
  // The padded row and column are at the bottom/right: the last row sees only x[2, j] − 0.
  assert.deepEqual(Array.from(same.data), [-4, -4, 3, -4, -4, 6, 7, 8, 9]);
  const biased = conv2d(x, k, { bias: tensor([10]), activation: 'relu' });
  assert.deepEqual(Array.from(biased.data), [6, 6, 6, 6]);
});

test('conv2d gradients: strides 1 and 2, both paddings, odd sizes, fused bias + activation', () => {
  let seed = 20;
  for (const [h, w, k, s, padding] of [[5, 5, 3, 1, 'valid'], [5, 4, 3, 2, 'same'], [6, 7, 1, 1, 'same'],
    [7, 5, 5, 2, 'valid'], [4, 4, 2, 2, 'same']] as const) {
    const x = randomTensor([2, h, w, 3], seed++);
    const kernel = randomTensor([k, k, 3, 2], seed++);
    const bias = randomTensor([2], seed++);
    checkGrad((a, b) => conv2d(a, b, { strides: s, padding }), [x, kernel]);
    checkGrad((a, b, c) => conv2d(a, b, { strides: s, padding, bias: c, activation: 'tanh' }), [x, kernel, bias]);
  }
});

test('pooling values and same-padding ignores padded cells', () => {
  const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
  assert.deepEqual(Array.from(maxPool2d(x).data), [5]);
  assert.deepEqual(Array.from(maxPool2d(x, { padding: 'same' }).data), [5, 6, 8, 9]);
  assert.deepEqual(Array.from(averagePool2d(x, { padding: 'same' }).data), [3, 4.5, 7.5, 9]);
  assert.deepEqual(maxPool2d(randomTensor([1, 15, 15, 2], 1)).shape, [1, 7, 7, 2]);
  assert.deepEqual(maxPool2d(x, { poolSize: 2, strides: 1 }).shape, [1, 2, 2, 1]);
});

test('pooling gradients: strides 1 and 2, both paddings, odd sizes', () => {
  // Distinct values 0.1 apart keep max-pool's winner stable under nudges of up to 2·step (1/16).
  const distinct = tensor(Array.from({ length: 2 * 5 * 7 * 2 }, (_, i) => ((i * 37) % 140) / 10), [2, 5, 7, 2]);
  const x = randomTensor([2, 5, 7, 2], 30);
  for (const options of [{}, { padding: 'same' as const }, { poolSize: 3, strides: 1 }, { poolSize: 3, strides: 2, padding: 'same' as const }]) {
    checkGrad((a) => maxPool2d(a, options), [distinct]);
    checkGrad((a) => averagePool2d(a, options), [x]);
  }
});

test('ReLU conv + max pool: the fused backward gives the unfused gradients, alone or with another user', () => {
  // A negative bias makes many windows all zero (ties at 0), the case the mask must get right.
  const x = randomTensor([2, 9, 8, 3], 40);
  const kernel = randomTensor([3, 3, 3, 4], 41);
  const bias = tensor([-0.3, 0.1, -1, 0.2]);
  const block = (unfused: boolean, otherUser: boolean) => (a: Tensor, k: Tensor, b: Tensor): Tensor => {
    const y = conv2d(a, k, { bias: b, activation: 'relu' });
    // mul by 1 hides the ReLU from the pool, so it takes the plain path.
    const pooled = sum(mul(maxPool2d(unfused ? mul(y, 1) : y), randomTensor([2, 3, 3, 4], 42)));
    return otherUser ? add(pooled, sum(mul(y, randomTensor([2, 7, 6, 4], 43)))) : pooled;
  };
  for (const otherUser of [false, true]) {
    const fused = valueAndGrads(() => block(false, otherUser)(x, kernel, bias), [x, kernel, bias]).grads;
    const plain = valueAndGrads(() => block(true, otherUser)(x, kernel, bias), [x, kernel, bias]).grads;
    assert.deepEqual(Array.from(fused[0]!.data), Array.from(plain[0]!.data));
    assert.deepEqual(Array.from(fused[1]!.data), Array.from(plain[1]!.data));
    fused[2]!.data.forEach((v, i) => assert.ok(Math.abs(v - plain[2]!.data[i]!) < 1e-5, `bias grad ${i}`));
  }
  // A step of 1/64: with these seeds no nudge crosses a ReLU's kink or changes a pool's winner
  // (a crossing would show as an error far above the tolerance).
  checkGrad((a, k, b) => maxPool2d(conv2d(a, k, { bias: b, activation: 'relu' })), [x, kernel, tensor([0.3, 0.1, 0.5, 0.2])],
    { step: 2 ** -6 });
});

test('the pool tells a ReLU conv that its gradient is already masked', () => {
  const x = randomTensor([1, 6, 6, 2], 44);
  x.requiresGrad = true;
  const y = conv2d(x, randomTensor([3, 3, 2, 2], 45), { activation: 'relu' });
  const pooled = maxPool2d(y);
  const [grad] = pooled.gradNode!.backward(randomTensor([1, 2, 2, 2], 46));
  assert.ok(preMaskedPooled(grad!, y));
  assert.equal(preMaskedPooled(grad!, pooled), undefined);
  const [plain] = maxPool2d(mul(y, 1)).gradNode!.backward(randomTensor([1, 2, 2, 2], 46));
  assert.equal(preMaskedPooled(plain!, y), undefined);
});

test('concatConv2d writes each convolution into its channels of the result, exactly as concat of conv2d', () => {
  const x = randomTensor([2, 7, 6, 3], 40);
  const squeezed = randomTensor([2, 7, 6, 4], 41);
  const branches: ConvBranch[] = [
    { x, kernel: randomTensor([1, 1, 3, 5], 42), options: { bias: randomTensor([5], 43), activation: 'relu' } },
    { x, kernel: randomTensor([3, 3, 3, 2], 44), options: { padding: 'same', activation: 'tanh' } },
    { x: squeezed, kernel: randomTensor([3, 2, 4, 3], 45), options: { padding: 'same', bias: randomTensor([3], 46) } },
  ];
  const reference = (): Tensor => concat(branches.map((b) => conv2d(b.x, b.kernel, b.options)), -1);
  const joined = noGrad(() => concatConv2d(branches));
  assert.deepEqual(joined.shape, [2, 7, 6, 10]);
  assert.deepEqual(Array.from(joined.data), Array.from(reference().data));

  // Recording gradients: Σ joined² is the sum over branches of Σ conv2d², each branch's kernel
  // gradient computed from its own convolution alone, without a concatenation.
  const viaJoin = valueAndGrads(() => sum(mul(concatConv2d(branches), concatConv2d(branches))), branches.map((b) => b.kernel));
  branches.forEach((b, i) => {
    const alone = valueAndGrads(() => sum(mul(conv2d(b.x, b.kernel, b.options), conv2d(b.x, b.kernel, b.options))), [b.kernel]);
    assertAllClose(viaJoin.grads[i]!.data, alone.grads[0]!.data, `branch ${i} kernel gradient`);
  });

  const strided = { x, kernel: randomTensor([3, 3, 3, 2], 47), options: { strides: 2 } };
  assert.throws(() => noGrad(() => concatConv2d([branches[0]!, strided])),
    /concatConv2d: every branch must give \[2, 7, 6, ·\], got \[2, 3, 2, ·\]/);
});

test('concatConv2dMaxPool pools each convolution into its channels, exactly as maxPool2d of the concatenation', () => {
  const squeezed = randomTensor([2, 11, 12, 32], 50);
  const fire = (e1: number, e3: number): ConvBranch[] => [
    { x: squeezed, kernel: randomTensor([1, 1, 32, e1], 51, -0.2, 0.2), options: { bias: randomTensor([e1], 52), activation: 'relu' } },
    { x: squeezed, kernel: randomTensor([3, 3, 32, e3], 53, -0.2, 0.2), options: { padding: 'same', activation: 'relu' } },
  ];
  // SqueezeNet's 3×3/2 pool, and a 2×2 one that on native Winograd takes tile by tile.
  for (const [branches, pool] of [[fire(5, 16), { poolSize: 3, strides: 2 }], [fire(3, 16), { poolSize: 2 }]] as const) {
    const reference = (): Tensor => maxPool2d(concat(branches.map((b) => conv2d(b.x, b.kernel, b.options)), -1), pool);
    const label = JSON.stringify(pool);
    const fused = noGrad(() => concatConv2dMaxPool(branches, pool));
    const plain = noGrad(reference);
    assert.deepEqual(fused.shape, plain.shape, label);
    assert.deepEqual(Array.from(fused.data), Array.from(plain.data), label);
    // Recording gradients: max pooling acts on each channel alone, so each kernel's gradient is
    // that of its own convolution pooled alone.
    const weights = randomTensor([...plain.shape], 54);
    const viaFused = valueAndGrads(() => sum(mul(concatConv2dMaxPool(branches, pool), weights)), branches.map((b) => b.kernel));
    let offset = 0;
    branches.forEach((b, i) => {
      const own = channelSlice(weights, offset, b.kernel.shape[3]!);
      offset += b.kernel.shape[3]!;
      const alone = valueAndGrads(() => sum(mul(maxPool2d(conv2d(b.x, b.kernel, b.options), pool), own)), [b.kernel]);
      assertAllClose(viaFused.grads[i]!.data, alone.grads[0]!.data, `${label} branch ${i} kernel gradient`);
    });
  }
});

test('concatConv2dPointwise is conv2d of the concatenation, in inference and in training', () => {
  // SqueezeNet's fire2 into fire3's squeeze at 16 channels (bands of rows on native), and at 32
  // (the expand3x3 takes Winograd there, so the concatenation is made whole).
  for (const channels of [16, 32]) {
    const squeezed = randomTensor([2, 9, 10, channels], 80);
    const branches: [ConvBranch, ConvBranch] = [
      { x: squeezed, kernel: randomTensor([1, 1, channels, 6], 81, -0.2, 0.2), options: { bias: randomTensor([6], 82), activation: 'relu' } },
      { x: squeezed, kernel: randomTensor([3, 3, channels, 7], 83, -0.2, 0.2), options: { padding: 'same', activation: 'relu' } },
    ];
    const next = { kernel: randomTensor([1, 1, 13, 4], 84, -0.3, 0.3), options: { bias: randomTensor([4], 85), activation: 'relu' as const } };
    const reference = (): Tensor => conv2d(concat(branches.map((b) => conv2d(b.x, b.kernel, b.options)), -1), next.kernel, next.options);
    const label = `${channels} channels`;
    const fused = noGrad(() => concatConv2dPointwise(branches, next));
    assert.deepEqual(fused.shape, [2, 9, 10, 4], label);
    assertAllClose(fused.data, noGrad(reference).data, label);
    // Recording gradients: a 1×1 convolution of a concatenation is the sum of each part's
    // convolution by its rows of the kernel, computed here without a concatenation.
    const rows = (from: number, count: number): Tensor => tensor(next.kernel.f32.slice(from * 4, (from + count) * 4), [1, 1, count, 4]);
    const nextParts = [rows(0, 6), rows(6, 7)];
    const kernels = [...branches.map((b) => b.kernel), next.kernel];
    const viaFused = valueAndGrads(() => sum(concatConv2dPointwise(branches, next)), kernels);
    const unfused = valueAndGrads(() => {
      const parts = branches.map((b, i) => conv2d(conv2d(b.x, b.kernel, b.options), nextParts[i]!));
      return sum(relu(add(add(parts[0]!, parts[1]!), next.options.bias)));
    }, [...branches.map((b) => b.kernel), ...nextParts]);
    const [g0, g1, gFirst, gSecond] = unfused.grads;
    assertAllClose(viaFused.grads[0]!.data, g0!.data, `${label} first branch kernel gradient`);
    assertAllClose(viaFused.grads[1]!.data, g1!.data, `${label} second branch kernel gradient`);
    assertAllClose(viaFused.grads[2]!.data, [...gFirst!.data, ...gSecond!.data], `${label} next kernel gradient`);
  }
});

test('conv2dMaxPool pools the convolution group by group, exactly as maxPool2d of conv2d, and trains as it', () => {
  let seed = 60;
  const cases: [number[], number[], Conv2DOptions, Pool2DOptions][] = [
    // 19 conv rows: several groups of pooled rows, and a last row no window reads. A first
    // layer's small patch: the kernel gradient is summed over the winning cells alone.
    [[2, 21, 9, 3], [3, 3, 3, 5], { bias: randomTensor([5], 70), activation: 'relu' }, { poolSize: 2 }],
    // Overlapping windows (SqueezeNet's 3×3/2 after a stride-2 conv) recompute a row per group.
    [[1, 40, 11, 3], [3, 3, 3, 4], { strides: 2 }, { poolSize: 3, strides: 2 }],
    // Padded pool and conv, a 1×1 convolution, a pool of stride 1.
    [[2, 13, 6, 4], [1, 1, 4, 3], { activation: 'tanh' }, { poolSize: 2, padding: 'same' }],
    [[1, 12, 7, 2], [3, 3, 2, 3], { padding: 'same', activation: 'relu' }, { poolSize: 3, strides: 1, padding: 'same' }],
    // Patches past the sparse gradient's size (8·9 values): routed to a full-size gradient.
    [[2, 9, 8, 8], [3, 3, 8, 6], { bias: randomTensor([6], 71), activation: 'sigmoid' }, { poolSize: 2 }],
    // 3×3 with 32 channels in: Winograd on native, each tile one pool window; odd sizes.
    [[2, 11, 12, 32], [3, 3, 32, 16], { bias: randomTensor([16], 72), activation: 'relu' }, { poolSize: 2 }],
  ];
  for (const [xShape, kShape, conv, pool] of cases) {
    const x = randomTensor(xShape, seed++);
    const kernel = randomTensor(kShape, seed++, -0.2, 0.2);
    const label = `x [${xShape}] kernel [${kShape}] ${JSON.stringify(pool)}`;
    const reference = (): Tensor => maxPool2d(conv2d(x, kernel, conv), pool);
    const fused = noGrad(() => conv2dMaxPool(x, kernel, conv, pool));
    const plain = noGrad(reference);
    assert.deepEqual(fused.shape, plain.shape, label);
    assert.deepEqual(Array.from(fused.data), Array.from(plain.data), label);
    // Recording, the fused op still runs (its own backward), with the same values.
    const weights = randomTensor([...plain.shape], seed++);
    const inputs = conv.bias ? [x, kernel, conv.bias] : [x, kernel];
    let op: string | undefined;
    const viaFused = valueAndGrads(() => {
      const y = conv2dMaxPool(x, kernel, conv, pool);
      op = y.gradNode?.op;
      return sum(mul(y, weights));
    }, inputs);
    const viaPlain = valueAndGrads(() => sum(mul(reference(), weights)), inputs);
    assert.equal(op, 'conv2dMaxPool', label);
    viaFused.grads.forEach((g, i) => assertAllClose(g.data, viaPlain.grads[i]!.data, `${label} grad ${i}`));
  }
});

test('conv2dMaxPool\'s gradients match finite differences, and windows too big for byte winners take the plain ops', () => {
  const x = randomTensor([1, 7, 6, 2], 80);
  const kernel = randomTensor([2, 2, 2, 3], 81);
  const bias = randomTensor([3], 82);
  // A step of 1/64: with these seeds no nudge changes a pool's winner.
  checkGrad((a, k, b) => conv2dMaxPool(a!, k!, { bias: b!, activation: 'tanh' }, { poolSize: 2 }), [x, kernel, bias], { step: 2 ** -6 });
  checkGrad((a, k) => conv2dMaxPool(a!, k!, { padding: 'same' }, { poolSize: 3, strides: 2, padding: 'same' }), [x, kernel]);
  const wide = randomTensor([1, 17, 17, 1], 83);
  const one = randomTensor([1, 1, 1, 1], 84);
  let op: string | undefined;
  const pooled = valueAndGrads(() => {
    const y = conv2dMaxPool(wide, one, {}, { poolSize: 17 });
    op = y.gradNode?.op;
    return sum(y);
  }, [wide]);
  assert.equal(op, 'maxPool2d');
  assert.equal(pooled.grads[0]!.data.filter((v) => v !== 0).length, 1);
});

test('a shape error names the fused op that was called, recording gradients or not', () => {
  const x = randomTensor([1, 6, 6, 3], 90);
  const wrongChannels = randomTensor([3, 3, 4, 2], 91);
  const good = randomTensor([1, 1, 3, 2], 92);
  const channelError = (op: string): RegExp => new RegExp(`${op}: expected input \\[batch, h, w, c\\] and kernel \\[kh, kw, c, filters\\] ` +
    'with the same c, got \\[1, 6, 6, 3\\] and \\[3, 3, 4, 2\\]$');
  for (const recording of [false, true]) {
    const run = (f: () => Tensor): void => {
      if (recording) valueAndGrads(() => sum(f()), [x]);
      else noGrad(f);
    };
    assert.throws(() => run(() => conv2dMaxPool(x, wrongChannels, {}, {})), channelError('conv2dMaxPool'));
    assert.throws(() => run(() => concatConv2d([{ x, kernel: good, options: {} }, { x, kernel: wrongChannels, options: {} }])),
      channelError('concatConv2d'));
    assert.throws(() => run(() => concatConv2dMaxPool([{ x, kernel: wrongChannels, options: {} }], {})), channelError('concatConv2dMaxPool'));
    const branches: [ConvBranch, ConvBranch] = [{ x, kernel: good, options: {} }, { x, kernel: good, options: {} }];
    assert.throws(() => run(() => concatConv2dPointwise(branches, { kernel: randomTensor([1, 1, 5, 2], 93), options: {} })),
      /concatConv2dPointwise: expected input .* got \[1, 6, 6, 4\] and \[1, 1, 5, 2\]$/);
    assert.throws(() => run(() => conv2dMaxPool(x, randomTensor([7, 7, 3, 2], 94), {}, {})),
      /conv2dMaxPool: a 7×7 kernel does not fit an input of 6×6 with 'valid' padding$/);
  }
});
