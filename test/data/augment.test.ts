import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Geometry, IDENTITY_TRANSFORM, type TransformParams } from '../../src/data/affine.js';
import type { FillMode } from '../../src/data/fill-mode.js';
import { imageDataGenerator } from '../../src/data/image-data-generator.js';
import { flipColumns, flipRows } from '../../src/data/pixel-transforms.js';
import { affineWarp } from '../../src/data/warp.js';
import { Random } from '../../src/tensor/random.js';
import { Tensor } from '../../src/tensor/tensor.js';

// Test vectors: /work/shared/spec/image-data-generator.md §5–6 (computed against scipy 1.17).
const ramp = new Tensor(Float32Array.from({ length: 25 }, (_, i) => 10 * Math.floor(i / 5) + (i % 5)), [5, 5, 1]);

function warp(p: Partial<TransformParams>, geometry: Geometry, fillMode: FillMode, cval = 0, x = ramp): number[][] {
  const gen = imageDataGenerator({ geometry, fillMode, cval });
  const out = gen.applyTransform(x, { ...IDENTITY_TRANSFORM, ...p });
  const [h, w, c] = x.shape as [number, number, number];
  return Array.from({ length: h }, (_, r) => Array.from(out.data.slice(r * w * c, (r + 1) * w * c), (v) => Math.round(v * 1000) / 1000));
}

test('legacy geometry (Keras 2.2) matches the 5×5 vectors', () => {
  assert.deepEqual(warp({ theta: 90 }, 'legacy', 'nearest'),
    [[40, 40, 40, 30, 20], [41, 41, 41, 31, 21], [42, 42, 42, 32, 22], [43, 43, 43, 33, 23], [44, 44, 44, 34, 24]]);
  assert.deepEqual(warp({ tx: 1 }, 'legacy', 'constant', -1),
    [[10, 11, 12, 13, 14], [20, 21, 22, 23, 24], [30, 31, 32, 33, 34], [40, 41, 42, 43, 44], [-1, -1, -1, -1, -1]]);
  const shifted = warp({ ty: 1.5 }, 'legacy', 'nearest');
  assert.deepEqual(shifted[0], [1.5, 2.5, 3.5, 4, 4]);
  assert.deepEqual(shifted[3], [31.5, 32.5, 33.5, 34, 34]);
  assert.deepEqual(warp({ zx: 2 }, 'legacy', 'nearest'),
    [[0, 1, 2, 3, 4], [0, 1, 2, 3, 4], [10, 11, 12, 13, 14], [30, 31, 32, 33, 34], [40, 41, 42, 43, 44]]);
  const zoomed = warp({ zx: 0.5, zy: 0.5 }, 'legacy', 'nearest');
  assert.deepEqual(zoomed[0], [16.5, 17, 17.5, 18, 18.5]);
  assert.deepEqual(zoomed[4], [36.5, 37, 37.5, 38, 38.5]);
  const ones = new Tensor(new Float32Array(27).fill(1), [3, 3, 3]);
  const rotated = imageDataGenerator({ fillMode: 'constant' }).applyTransform(ones, { ...IDENTITY_TRANSFORM, theta: 45 });
  for (let ch = 0; ch < 3; ch++) {
    assert.deepEqual(Array.from({ length: 9 }, (_, i) => rotated.data[i * 3 + ch]), [0, 0, 1, 0, 1, 1, 0, 0, 1], 'keras-preprocessing 1.1.2 unit test');
  }
});

test('fixed geometry (tf.keras >= 2.9) matches the 5×5 vectors', () => {
  assert.deepEqual(warp({ theta: 90 }, 'fixed', 'nearest'),
    [[4, 14, 24, 34, 44], [3, 13, 23, 33, 43], [2, 12, 22, 32, 42], [1, 11, 21, 31, 41], [0, 10, 20, 30, 40]]);
  assert.deepEqual(warp({ tx: 1 }, 'fixed', 'constant', -1).map((r) => r[4]), [-1, -1, -1, -1, -1]);
  assert.deepEqual(warp({ tx: 1 }, 'fixed', 'constant', -1)[2], [21, 22, 23, 24, -1]);
  assert.deepEqual(warp({ ty: 1.5 }, 'fixed', 'nearest'),
    [[15, 16, 17, 18, 19], [25, 26, 27, 28, 29], [35, 36, 37, 38, 39], [40, 41, 42, 43, 44], [40, 41, 42, 43, 44]]);
  assert.deepEqual(warp({ zx: 2 }, 'fixed', 'nearest')[0], [0, 0, 2, 4, 4]);
  const zoomed = warp({ zx: 0.5, zy: 0.5 }, 'fixed', 'nearest');
  assert.deepEqual(zoomed[0], [11, 11.5, 12, 12.5, 13]);
  assert.deepEqual(zoomed[4], [31, 31.5, 32, 32.5, 33]);
  assert.deepEqual(warp({ theta: 45 }, 'fixed', 'constant', 0, new Tensor(new Float32Array(9).fill(1), [3, 3, 1])), [[0, 1, 0], [1, 1, 1], [0, 1, 0]]);
  assert.deepEqual(warp({ theta: 90 }, 'fixed', 'nearest', 0, new Tensor(Float32Array.from([0, 1, 0, 0]), [2, 2, 1])), [[1, 0], [0, 0]]);
});

test('fill modes on a shifted row follow scipy (wrap has period n − 1)', () => {
  const row = new Tensor(Float32Array.from([1, 2, 3, 4]), [1, 4, 1]);
  const expected: Record<FillMode, [number[], number[]]> = {
    constant: [[3, 4, 9, 9], [9, 9, 1, 2]],
    nearest: [[3, 4, 4, 4], [1, 1, 1, 2]],
    reflect: [[3, 4, 4, 3], [2, 1, 1, 2]],
    wrap: [[3, 4, 2, 3], [2, 3, 1, 2]],
  };
  for (const [mode, [plus, minus]] of Object.entries(expected) as [FillMode, [number[], number[]]][]) {
    assert.deepEqual(warp({ ty: 2 }, 'legacy', mode, 9, row)[0], plus, `${mode} ty=+2`);
    assert.deepEqual(warp({ ty: -2 }, 'legacy', mode, 9, row)[0], minus, `${mode} ty=-2`);
    assert.deepEqual(warp({ tx: 2 }, 'fixed', mode, 9, row)[0], plus, `${mode} FG tx=+2`);
  }
  // Off-grid shifts: the spec's 1-D table at offset −1.5 and +2.5.
  assert.deepEqual(warp({ ty: -1.5 }, 'legacy', 'reflect', 9, row)[0], [1.5, 1, 1.5, 2.5]);
  assert.deepEqual(warp({ ty: 2.5 }, 'legacy', 'wrap', 9, row)[0], [3.5, 1.5, 2.5, 3.5]);
  assert.deepEqual(warp({ ty: 2.5 }, 'legacy', 'constant', 9, row)[0], [3.5, 9, 9, 9]);
});

test('identity parameters leave values untouched (no resampling)', () => {
  const x = new Tensor(Float32Array.from([0.1, 254.9, 3.3, 7]), [2, 2, 1]);
  assert.deepEqual(Array.from(imageDataGenerator().applyTransform(x, IDENTITY_TRANSFORM).data), Array.from(x.data));
});

test('flips, channel shift and order of the pixel steps', () => {
  const x = new Tensor(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3, 1]);
  const gen = imageDataGenerator();
  assert.deepEqual(Array.from(gen.applyTransform(x, { ...IDENTITY_TRANSFORM, flipHorizontal: true }).data), [3, 2, 1, 6, 5, 4]);
  assert.deepEqual(Array.from(gen.applyTransform(x, { ...IDENTITY_TRANSFORM, flipVertical: true }).data), [4, 5, 6, 1, 2, 3]);
  // After a transform, folded into its resampling: the transformed image, mirrored.
  const square = new Tensor(Float32Array.from({ length: 5 * 6 * 3 }, (_, i) => (i * 37) % 251), [5, 6, 3]);
  const turned = { ...IDENTITY_TRANSFORM, theta: 20, zx: 0.9 };
  const plain = gen.applyTransform(square, turned).f32;
  const mirrored = Float32Array.from(plain);
  flipColumns(mirrored, 5, 6, 3);
  assert.deepEqual(gen.applyTransform(square, { ...turned, flipHorizontal: true }).f32, mirrored);
  flipRows(mirrored, 5, 6, 3);
  assert.deepEqual(gen.applyTransform(square, { ...turned, flipHorizontal: true, flipVertical: true }).f32, mirrored);
  // Channel shift clips to the image's own [min, max].
  assert.deepEqual(Array.from(gen.applyTransform(x, { ...IDENTITY_TRANSFORM, channelShiftIntensity: 2.5 }).data), [3.5, 4.5, 5.5, 6, 6, 6]);
});

test('brightness goes through an 8-bit image; legacy also stretches to 0..255', () => {
  const x = new Tensor(Float32Array.from([10, 20, 30, 40]), [2, 2, 1]);
  const legacy = imageDataGenerator().applyTransform(x, { ...IDENTITY_TRANSFORM, brightness: 0.5 });
  // array_to_img(scale=True): x + max(−min, 0), / max, × 255 → uint8 [63, 127, 191, 255]; × 0.5 truncated.
  assert.deepEqual(Array.from(legacy.data), [31, 63, 95, 127]);
  const fixed = imageDataGenerator({ geometry: 'fixed' }).applyTransform(x, { ...IDENTITY_TRANSFORM, brightness: 1.5 });
  assert.deepEqual(Array.from(fixed.data), [15, 30, 45, 60]);
});

test('rescale and standardize run in Keras order with float32 products', () => {
  const x = new Tensor(Float32Array.from([255, 128, 1, 0]), [2, 2, 1]);
  const scaled = imageDataGenerator({ rescale: 1 / 255 }).standardize(x);
  assert.equal(scaled.data[0], 1);
  assert.equal(scaled.data[1], Math.fround(0.50196081));
  assert.equal(scaled.data[2], Math.fround(0.0039215689));
  // preprocessingFunction runs before rescale.
  const pre = imageDataGenerator({ rescale: 0.5, preprocessingFunction: (t) => new Tensor(t.f32.map((v) => v + 2), t.shape) });
  assert.deepEqual(Array.from(pre.standardize(x).data), [128.5, 65, 1.5, 1]);
  const sample = imageDataGenerator({ samplewiseStdNormalization: true, samplewiseCenter: true }).standardize(new Tensor(Float32Array.from([1, 3]), [1, 2, 1]));
  assert.ok(Math.abs(sample.data[0]! + 1) < 1e-5 && Math.abs(sample.data[1]! - 1) < 1e-5);
});

test('featurewise statistics come from fit(x), per channel, after rescale', (t) => {
  const warnings: string[] = [];
  t.mock.method(console, 'warn', (m: string) => warnings.push(m));
  const gen = imageDataGenerator({ featurewiseStdNormalization: true, rescale: 0.5 });
  assert.match(warnings[0]!, /featurewiseStdNormalization overrides featurewiseCenter/);
  assert.equal(gen.standardizeConfig.featurewiseCenter, true);
  gen.standardize(new Tensor(Float32Array.from([2, 4, 6, 8]), [2, 1, 2]));
  gen.standardize(new Tensor(Float32Array.from([2, 4, 6, 8]), [2, 1, 2]));
  assert.equal(warnings.filter((w) => /has not been fit/.test(w)).length, 2, 'warned once per step, step skipped');
  gen.fit(new Tensor(Float32Array.from([0, 10, 4, 30]), [2, 1, 1, 2]));
  assert.deepEqual(Array.from(gen.stats.mean!), [1, 10]);
  assert.deepEqual(Array.from(gen.stats.std!), [1, 5]);
  const y = gen.standardize(new Tensor(Float32Array.from([4, 40]), [1, 1, 2]));
  assert.ok(Math.abs(y.data[0]! - 1) < 1e-5 && Math.abs(y.data[1]! - 2) < 1e-5);
  assert.throws(() => gen.fit(new Tensor(new Float32Array(4), [2, 2])), /fit: x should have rank 4/);
});

test('random draws: ranges, pixel scaling and independent zooms', () => {
  const gen = imageDataGenerator({ rotationRange: 40, widthShiftRange: 0.2, heightShiftRange: 0.2, shearRange: 0.2, zoomRange: 0.2, horizontalFlip: true });
  const rng = new Random(1);
  let flips = 0;
  let zoomDiffers = 0;
  for (let i = 0; i < 2000; i++) {
    const p = gen.getRandomTransform([150, 100, 3], rng);
    assert.ok(Math.abs(p.theta) <= 40 && Math.abs(p.shear) <= 0.2);
    assert.ok(Math.abs(p.tx) <= 30 && Math.abs(p.ty) <= 20, 'tx from heightShiftRange × H, ty from widthShiftRange × W');
    assert.ok(p.zx >= 0.8 && p.zx <= 1.2 && p.zy >= 0.8 && p.zy <= 1.2);
    if (p.zx !== p.zy) zoomDiffers++;
    if (p.flipHorizontal) flips++;
    assert.equal(p.flipVertical, false);
    assert.equal(p.channelShiftIntensity, null);
  }
  assert.ok(flips > 900 && flips < 1100, `flip probability 0.5, got ${flips}/2000`);
  assert.equal(zoomDiffers, 2000);
  // The list form picks a value and a sign; values >= 1 are pixels.
  const listGen = imageDataGenerator({ widthShiftRange: [0, 1, 2] });
  const seen = new Set<number>();
  for (let i = 0; i < 300; i++) seen.add(listGen.getRandomTransform([10, 10, 1], rng).ty);
  assert.deepEqual([...seen].sort((a, b) => a - b), [-2, -1, 0, 1, 2]);
});

test('flip coins are drawn even when flips are off (keras-preprocessing), ranges at 0 draw nothing', () => {
  const a = new Random(5);
  imageDataGenerator().getRandomTransform([4, 4, 1], a);
  const b = new Random(5);
  b.next();
  b.next();
  assert.equal(a.next(), b.next());
});

test('options are validated with the argument named', () => {
  assert.throws(() => imageDataGenerator({ zoomRange: [0.5] as unknown as [number, number] }), /zoomRange should be a number or a list of two numbers/);
  assert.throws(() => imageDataGenerator({ validationSplit: 1 }), /validationSplit must be strictly between 0 and 1, got 1/);
  assert.throws(() => imageDataGenerator({ fillMode: 'mirror' as FillMode }), /fillMode must be one of 'nearest', 'constant', 'reflect', 'wrap', got "mirror"/);
  assert.throws(() => imageDataGenerator({ rotationRange: Number.NaN }), /rotationRange must be a finite number/);
  assert.throws(() => imageDataGenerator({ geometry: 'new' as Geometry }), /geometry must be 'legacy' or 'fixed'/);
  assert.deepEqual(imageDataGenerator({ zoomRange: 0.2 }).randomConfig.zoomRange, [0.8, 1.2]);
});

test('the warp refuses buffers shorter than the image they are said to hold', () => {
  const map = { rr: 1, rc: 0, r0: 0.5, cr: 0, cc: 1, c0: 0 };
  assert.throws(() => affineWarp(new Float32Array(5), 2, 2, 3, map, 'nearest', 0, new Float32Array(12)),
    /affineWarp: a 2×2×3 image needs 12 values, got 5 in and 12 out/);
  assert.throws(() => affineWarp(new Uint8Array(12), 2, 2, 3, map, 'reflect', 0, new Float32Array(11)),
    /got 12 in and 11 out/);
});

test('prepareInto and prepareBatchInto give what transformInto then standardizeInPlace give, bit for bit, for every fold they make or refuse', () => {
  const [h, w, c] = [11, 9, 3];
  const r = new Random(5);
  const eightBit = Uint8Array.from({ length: h * w * c }, () => Math.floor(r.uniform(0, 256)));
  const float = Float32Array.from(eightBit, (v) => v / 3 - 20);
  const lecture = { rotationRange: 40, widthShiftRange: 0.2, heightShiftRange: 0.2, shearRange: 0.2, zoomRange: 0.2, horizontalFlip: true };
  const generators = {
    'rescale only (folded into the 8-bit conversion)': imageDataGenerator({ rescale: 1 / 255 }),
    'the lecture augmentation (folded into the warp)': imageDataGenerator({ rescale: 1 / 255, ...lecture, verticalFlip: true }),
    'constant fill outside the image': imageDataGenerator({ rescale: 1 / 255, ...lecture, fillMode: 'constant', cval: 7 }),
    'no rescale': imageDataGenerator(lecture),
    'samplewise statistics after the fold': imageDataGenerator({ rescale: 0.5, ...lecture, samplewiseStdNormalization: true }),
    'channel shift (not folded: additive before the rescale)': imageDataGenerator({ rescale: 1 / 255, ...lecture, channelShiftRange: 30 }),
    'brightness (not folded)': imageDataGenerator({ rescale: 1 / 255, brightnessRange: [0.5, 1.5] }),
    'a preprocessingFunction (not folded)': imageDataGenerator({ rescale: 1 / 255, ...lecture,
      preprocessingFunction: (x: Tensor) => new Tensor(Float32Array.from(x.f32, (v) => v - 100), x.shape) }),
  };
  const size = h * w * c;
  let compared = 0;
  for (const [name, generator] of Object.entries(generators)) {
    for (const src of [eightBit, float]) {
      // The last draw moves nothing (only a flip): in a batch that the others move, it is resampled too.
      const draws = [...Array.from({ length: 3 }, () => generator.getRandomTransform([h, w, c], r)),
        { ...IDENTITY_TRANSFORM, flipHorizontal: true }];
      const expected = new Float32Array(4 * size);
      const batch = new Float32Array(4 * size).fill(NaN);
      // On the native backend, 8-bit batches that fold into one pass take one call to the addon.
      generator.prepareBatchInto(draws.map(() => src), h, w, c, draws, batch);
      draws.forEach((params, draw) => {
        const want = expected.subarray(draw * size, (draw + 1) * size);
        generator.transformInto(src, h, w, c, params, want);
        generator.standardizeInPlace(want, h, w, c);
        const actual = new Float32Array(size).fill(NaN);
        generator.prepareInto(src, h, w, c, params, actual);
        const i = actual.findIndex((v, k) => !Object.is(v, want[k]));
        assert.equal(i, -1, `${name}, ${src.constructor.name}, draw ${draw}: value ${i} is ${actual[i]}, expected ${want[i]}`);
        compared++;
      });
      const i = batch.findIndex((v, k) => !Object.is(v, expected[k]));
      assert.equal(i, -1, `${name}, ${src.constructor.name}, batch: value ${i} is ${batch[i]}, expected ${expected[i]}`);
    }
  }
  assert.equal(compared, 8 * 2 * 4);
});
