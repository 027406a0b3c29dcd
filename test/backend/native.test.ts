// Every native kernel against the js reference backend over random shapes, on every GEMM
// micro-kernel this CPU can run; plus checks that repeated training-like steps stop growing RSS
// and that the thread pool completes every kernel when calls come back to back.
import assert from 'node:assert/strict';
import { after, beforeEach, describe, test } from 'node:test';
import type {
  Backend, BinaryOp, Conv2DInfo, ConvSpec, FusedActivation, Pool2DInfo, UnaryOp,
} from '../../src/backend/backend.js';
import { jsBackend } from '../../src/backend/js/index.js';
import { convGeometry } from '../../src/backend/native/checks.js';
import { FILL_MODES } from '../../src/data/fill-mode.js';
import { affineWarpJs } from '../../src/data/warp.js';
import { loadNativeBackend, nativeAddon } from '../../src/backend/native/load.js';
import { CONV_CASES, MATMUL_SHAPES, WINOGRAD_CASES } from './shapes.js';

const { backend: loaded, reason } = loadNativeBackend();
const skip = loaded ? false : `native addon not built (${reason})`;
const native = loaded as Backend;
const addon = nativeAddon();
const isas = addon ? addon.isas() : [];
const bestIsa = addon ? addon.isa() : '';
after(() => addon?.setIsa(bestIsa));

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let seed = 1;
/** Each test draws its own data, from a seed its name gives: the same run alone or in the file. */
beforeEach((t) => {
  seed = [...t.name].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261);
});
/** Uniform in [lo, hi), reproducible. */
function rand(n: number, lo = -1, hi = 1): Float32Array {
  const r = rng(seed++);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
}

/** Agreement to 1e-5 + 1e-4·|expected|, plus 1e-6·terms where the result is a sum whose largest
 * sum of absolute terms is `terms` (a convolution's): F(4×4, 3×3)'s rounding reaches ≈ 4e-7 of
 * that (8 × 8 × 40 inputs, 360-term sums cancelling to near zero), more than the fixed floor. */
function assertClose(actual: Float32Array, expected: Float32Array, label: string, terms = 0): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (!(Math.abs(a - e) <= 1e-5 + 1e-4 * Math.abs(e) + 1e-6 * terms)) {
      assert.fail(`${label}: element ${i} is ${a}, the js backend says ${e}`);
    }
  }
}

const abs = (a: Float32Array): Float32Array => a.map(Math.abs);
/** The largest sum of absolute terms behind any value of `sums` (NaNs ignored). */
const largest = (sums: Float32Array): number => sums.reduce((m, v) => (v > m ? v : m), 0);
/** The same for a convolution (|bias| included) and its two gradients. */
const convTerms = (x: Float32Array, kernel: Float32Array, info: Conv2DInfo, bias: Float32Array | null = null): number =>
  largest(jsBackend.conv2d(abs(x), abs(kernel), info, bias && abs(bias), 'linear'));
const inputGradTerms = (dy: Float32Array, kernel: Float32Array, info: Conv2DInfo): number =>
  largest(jsBackend.conv2dBackpropInput(abs(dy), abs(kernel), info));
const filterGradTerms = (x: Float32Array, dy: Float32Array, info: Conv2DInfo): number =>
  largest(jsBackend.conv2dBackpropFilter(abs(x), abs(dy), info));

/** TF's padding rule, as the ops layer resolves it before calling a backend. */
function axis(n: number, k: number, s: number, same: boolean): { out: number; pad: number } {
  if (!same) return { out: Math.floor((n - k) / s) + 1, pad: 0 };
  const out = Math.ceil(n / s);
  return { out, pad: Math.floor(Math.max((out - 1) * s + k - n, 0) / 2) };
}

function convInfo(batch: number, h: number, w: number, inC: number, outC: number, k: number, s: number,
  same: boolean): Conv2DInfo {
  const r = axis(h, k, s, same);
  const c = axis(w, k, s, same);
  return { batch, inH: h, inW: w, inC, outH: r.out, outW: c.out, outC, kernelH: k, kernelW: k, strideH: s,
    strideW: s, padTop: r.pad, padLeft: c.pad };
}

function poolInfo(batch: number, h: number, w: number, channels: number, p: number, s: number,
  same: boolean): Pool2DInfo {
  const r = axis(h, p, s, same);
  const c = axis(w, p, s, same);
  return { batch, inH: h, inW: w, channels, outH: r.out, outW: c.out, poolH: p, poolW: p, strideH: s, strideW: s,
    padTop: r.pad, padLeft: c.pad };
}

const poolSize = (i: Pool2DInfo): number => i.batch * i.outH * i.outW * i.channels;

const describeIf = (name: string, fn: () => void): void => void describe(name, { skip }, fn);

/** The instruction sets whose micro-kernels include direct convolution tiles (see conv_direct.cc). */
const hasDirectTiles = (isa: string): boolean => isa === 'avx512' || isa === 'neon';

for (const isa of isas) {
  describeIf(`native GEMM kernels on ${isa} agree with js`, () => {
    test('matmul: every transpose combination, odd sizes, fused bias + activation', () => {
      assert.ok(addon!.setIsa(isa));
      const acts: FusedActivation[] = ['linear', 'relu', 'sigmoid', 'tanh'];
      let i = 0;
      for (const [m, k, n] of MATMUL_SHAPES) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            const a = rand(m * k);
            const b = rand(k * n);
            const act = acts[i++ % acts.length]!;
            const bias = i % 2 ? rand(n) : null;
            const label = `matmul ${m}×${k}×${n} transA=${transA} transB=${transB} ${bias ? 'bias ' : ''}${act}`;
            assertClose(native.matmul(a, b, m, k, n, transA, transB, bias, act),
              jsBackend.matmul(a, b, m, k, n, transA, transB, bias, act), label);
          }
        }
      }
    });

    test('conv2d forward and both gradients: 1×1, 3×3, 5×5, strides 1 and 2, both paddings, batch 1 and 20', () => {
      assert.ok(addon!.setIsa(isa));
      const acts: FusedActivation[] = ['relu', 'linear', 'sigmoid', 'tanh'];
      CONV_CASES.forEach(([batch, h, w, inC, outC, k, s, same], i) => {
        const info = convInfo(batch, h, w, inC, outC, k, s, same);
        const x = rand(batch * h * w * inC);
        // At the scale layers initialise kernels (Glorot), so that sums of a thousand terms stay
        // O(1) and the tolerance's absolute floor is not below float32 rounding of the sum.
        const limit = Math.sqrt(6 / (k * k * (inC + outC)));
        const kernel = rand(k * k * inC * outC, -limit, limit);
        const bias = i % 3 ? rand(outC) : null;
        const act = acts[i % acts.length]!;
        // Gradients as small as a loss spread over the batch makes them, for the same reason: the
        // kernel's gradient sums over every output pixel, and at unit scale its terms (hundreds of
        // O(1) values cancelling to O(0.01)) put rounding above the tolerance's floor.
        const pixels = batch * info.outH * info.outW;
        const dy = rand(pixels * outC, -1 / Math.sqrt(pixels), 1 / Math.sqrt(pixels));
        const label = `conv ${batch}×${h}×${w}×${inC}→${outC} k${k} s${s} ${same ? 'same' : 'valid'}`;
        if (hasDirectTiles(isa) && (inC <= 4 || (inC === 16 && s === 1 && k > 1))) {
          assert.equal(addon!.convAlgorithm(convGeometry('test', info)), 'direct', label);
        }
        assertClose(native.conv2d(x, kernel, info, bias, act), jsBackend.conv2d(x, kernel, info, bias, act),
          `${label} forward ${act}`);
        assertClose(native.conv2dBackpropInput(dy, kernel, info), jsBackend.conv2dBackpropInput(dy, kernel, info),
          `${label} backprop input`);
        assertClose(native.conv2dBackpropFilter(x, dy, info), jsBackend.conv2dBackpropFilter(x, dy, info),
          `${label} backprop filter`);
      });
    });
  });
}

for (const isa of isas) {
  describeIf(`NaN stays NaN through relu on ${isa}, as in TensorFlow and the js backend`, () => {
    /** Random values with every channel of pixel (or row) `at` NaN. */
    const withNaN = (n: number, channels: number, at: number): Float32Array => {
      const x = rand(n);
      x.fill(NaN, at * channels, (at + 1) * channels);
      return x;
    };
    const nanCount = (a: Float32Array): number => a.filter(Number.isNaN).length;

    test('unary relu and the matmul epilogue', () => {
      assert.ok(addon!.setIsa(isa));
      const x = Float32Array.from([NaN, -1, 2, -0, 0, NaN, -Infinity, Infinity]);
      assert.deepEqual(Array.from(native.unary('relu', x)), [NaN, 0, 2, 0, 0, NaN, 0, Infinity]);
      assert.deepEqual(native.unary('relu', x), jsBackend.unary('relu', x));
      for (const [m, k, n] of [[5, 7, 3], [40, 33, 70]] as const) {
        const [a, b, bias] = [withNaN(m * k, k, 2), rand(k * n), rand(n)];
        const c = native.matmul(a, b, m, k, n, false, false, bias, 'relu');
        assert.equal(nanCount(c), n, `matmul ${m}×${k}×${n}: row 2 is NaN`);
        assertClose(c, jsBackend.matmul(a, b, m, k, n, false, false, bias, 'relu'), `matmul ${m}×${k}×${n}`);
      }
    });

    /**
     * The outputs a NaN at input pixel `at` (of image 0, 'same' padding) makes NaN: each one it
     * reaches. Winograd's transforms mix a tile's whole input patch into every output of the tile
     * (0·NaN is NaN), so there the NaN may also reach the rest of each tile whose patch holds it,
     * and no further.
     */
    const assertNaNReach = (y: Float32Array, info: Conv2DInfo, at: number, tile: number, label: string): void => {
      const [r, c] = [Math.floor(at / info.inW), at % info.inW];
      const pad = (info.kernelH - 1) / 2;
      const reaches = (oy: number, ox: number): boolean => Math.abs(oy - r) <= pad && Math.abs(ox - c) <= pad;
      const inPatch = (oy: number, ox: number): boolean => {
        const [y0, x0] = [oy - (oy % tile) - pad, ox - (ox % tile) - pad];
        return r >= y0 && r < y0 + tile + 2 && c >= x0 && c < x0 + tile + 2;
      };
      for (let oy = 0; oy < info.outH; oy++) {
        for (let ox = 0; ox < info.outW; ox++) {
          const nan = y.subarray((oy * info.outW + ox) * info.outC, (oy * info.outW + ox + 1) * info.outC).filter(Number.isNaN).length;
          const expected = reaches(oy, ox) ? info.outC : tile && inPatch(oy, ox) ? nan : 0;
          assert.equal(nan, expected, `${label}: NaN channels of output (${oy}, ${ox}), the NaN pixel at (${r}, ${c})`);
        }
      }
    };

    test('every convolution path (direct, Winograd, GEMM), pooled or not', () => {
      assert.ok(addon!.setIsa(isa));
      // batch, h, w, inC, outC, kernel: few channels (direct on AVX-512), 32+ (Winograd), 1×1 (GEMM).
      const cases = [[1, 9, 9, 3, 16, 3], [1, 8, 8, 40, 24, 3], [2, 7, 7, 16, 20, 1], [1, 10, 10, 16, 64, 3]] as const;
      for (const tile of [4, 2, 0] as const) {
        addon!.setWinograd(tile);
        try {
          for (const [batch, h, w, inC, outC, k] of cases) {
            const info = convInfo(batch, h, w, inC, outC, k, 1, true);
            const pool = poolInfo(batch, info.outH, info.outW, outC, 2, 2, false);
            const [x, kernel, bias] = [withNaN(batch * h * w * inC, inC, h * w - w - 3), rand(k * k * inC * outC, -0.2, 0.2), rand(outC)];
            const algorithm = addon!.convAlgorithm(convGeometry('test', info));
            const label = `${algorithm} conv ${h}×${w}×${inC}→${outC} k${k}`;
            const y = native.conv2d(x, kernel, info, bias, 'relu');
            assertNaNReach(y, info, h * w - w - 3, algorithm.startsWith('winograd') ? Number(algorithm[9]) : 0, label);
            // Elsewhere (the NaNs Winograd adds, just checked, aside) the values agree.
            const elsewhere = (actual: Float32Array, expected: Float32Array): Float32Array =>
              actual.map((v, j) => (Number.isNaN(v) ? expected[j]! : v));
            const expected = jsBackend.conv2d(x, kernel, info, bias, 'relu');
            const terms = convTerms(x, kernel, info, bias);
            assertClose(elsewhere(y, expected), expected, label, terms);
            const pooled = native.conv2dMaxPool(x, kernel, info, bias, 'relu', pool);
            const expectedPooled = jsBackend.conv2dMaxPool(x, kernel, info, bias, 'relu', pool);
            assert.ok(expectedPooled.every((v, j) => !Number.isNaN(v) || Number.isNaN(pooled[j]!)),
              `${label}, pooled: the NaN survives the max`);
            assertClose(elsewhere(pooled, expectedPooled), expectedPooled, `${label}, pooled`, terms);
          }
        } finally {
          addon!.setWinograd(4);
        }
      }
    });
  });
}

for (const isa of isas) {
  describeIf(`native Winograd convolutions on ${isa} agree with js`, () => {
    const cases = WINOGRAD_CASES;
    const geometry = (info: Conv2DInfo): Int32Array => convGeometry('test', info);
    /** At the scale layers initialise kernels, outputs stay O(1). At unit scale a 3,000-term sum is ~20,
     * where float32 rounding alone (the GEMM path's too, measured) exceeds the 1e-5 absolute floor. */
    const kernelOf = (inC: number, outC: number): Float32Array => {
      const limit = Math.sqrt(6 / (9 * (inC + outC)));
      return rand(9 * inC * outC, -limit, limit);
    };
    /** The input gradient's correlation: dy with the kernel turned round, padded to reach every input pixel. */
    const transposed = (g: Conv2DInfo): Conv2DInfo => ({ ...g, inH: g.outH, inW: g.outW, inC: g.outC, outH: g.inH,
      outW: g.inW, outC: g.inC, padTop: 2 - g.padTop, padLeft: 2 - g.padLeft });

    /** Runs `check` with 4×4 tiles where they pay (every case but the 6×5 map) and again with 2×2 tiles only. */
    const eachTile = (check: (info: Conv2DInfo, label: string, i: number) => void): void => {
      for (const tile of [4, 2] as const) {
        addon!.setWinograd(tile);
        try {
          cases.forEach(([batch, h, w, inC, outC, same], i) => {
            const info = convInfo(batch, h, w, inC, outC, 3, 1, same);
            const label = `conv ${batch}×${h}×${w}×${inC}→${outC} ${same ? 'same' : 'valid'}, tiles up to ${tile}×${tile}`;
            // A 6×5 map: four 4×4 tiles would take as many products as nine 2×2 tiles (144), so 2×2 it stays.
            const overhangs = info.outH === 6 && info.outW === 5;
            assert.equal(addon!.convAlgorithm(geometry(info)), tile === 4 && !overhangs ? 'winograd 4×4' : 'winograd 2×2', label);
            check(info, label, i);
          });
        } finally {
          addon!.setWinograd(4);
        }
      }
    };

    test('forward with each activation, into a channel slice, and both gradients', () => {
      assert.ok(addon!.setIsa(isa));
      const acts: FusedActivation[] = ['relu', 'linear', 'sigmoid', 'tanh'];
      eachTile((info, label, i) => {
        const { batch, inH: h, inW: w, inC, outC } = info;
        // The input gradient's correlation has outC input channels.
        assert.match(addon!.convAlgorithm(geometry(transposed(info))),
          outC >= 32 ? /^winograd/ : outC === 16 && hasDirectTiles(isa) ? /^direct$/ : /^gemm$/, `${label}, input gradient`);
        const x = rand(batch * h * w * inC);
        const kernel = kernelOf(inC, outC);
        const bias = i % 2 ? null : rand(outC);
        const act = acts[i % acts.length]!;
        const expected = jsBackend.conv2d(x, kernel, info, bias, act);
        const terms = convTerms(x, kernel, info, bias);
        assertClose(native.conv2d(x, kernel, info, bias, act), expected, `${label} forward ${act}`, terms);
        const pixels = batch * info.outH * info.outW;
        const slice = native.conv2d(x, kernel, info, bias, act, { buffer: new Float32Array(pixels * (outC + 3)),
          channels: outC + 3, offset: 2 });
        assertClose(Float32Array.from({ length: pixels * outC }, (_, j) => slice[Math.floor(j / outC) * (outC + 3) + 2 + j % outC]!),
          expected, `${label} into a channel slice`, terms);
        // Gradients as small as a loss spread over the batch makes them: the kernel's sums over every pixel stay O(1).
        const dy = rand(pixels * outC, -1 / Math.sqrt(pixels), 1 / Math.sqrt(pixels));
        assertClose(native.conv2dBackpropInput(dy, kernel, info), jsBackend.conv2dBackpropInput(dy, kernel, info),
          `${label} backprop input`, inputGradTerms(dy, kernel, info));
        assertClose(native.conv2dBackpropFilter(x, dy, info), jsBackend.conv2dBackpropFilter(x, dy, info),
          `${label} backprop filter`, filterGradTerms(x, dy, info));
      });
    });

    test('a 2×2 stride-2 max pool taken as tiles are transformed back, odd rows and columns left out', () => {
      assert.ok(addon!.setIsa(isa));
      eachTile((info, label, i) => {
        const { batch, inH: h, inW: w, inC, outC } = info;
        const pool = poolInfo(batch, info.outH, info.outW, outC, 2, 2, false);
        const x = rand(batch * h * w * inC);
        const kernel = kernelOf(inC, outC);
        const bias = rand(outC);
        const act: FusedActivation = i % 2 ? 'relu' : 'sigmoid';
        const terms = convTerms(x, kernel, info, bias);
        assertClose(native.conv2dMaxPool(x, kernel, info, bias, act, pool),
          jsBackend.conv2dMaxPool(x, kernel, info, bias, act, pool), `${label} pooled ${act}`, terms);
        // Training: each value's winning cell too (relu's zeros tie, and their gradient is zero anyway).
        const [got, want] = [new Uint8Array(poolSize(pool)), new Uint8Array(poolSize(pool))];
        const y = native.conv2dMaxPool(x, kernel, info, bias, act, pool, got);
        assertClose(y, jsBackend.conv2dMaxPool(x, kernel, info, bias, act, pool, want), `${label} ${act}, with winners`, terms);
        // A different winning cell is a near tie that rounding decided, or relu's zeros (whose gradient is zero anyway).
        const conv = jsBackend.conv2d(x, kernel, info, bias, 'linear');
        const cellValue = (j: number, cell: number): number => {
          const [o, pixel] = [j % outC, Math.floor(j / outC)];
          const [b, py, px] = [Math.floor(pixel / (pool.outH * pool.outW)), Math.floor(pixel / pool.outW) % pool.outH, pixel % pool.outW];
          const [oy, ox] = [2 * py + (cell >> 1), 2 * px + (cell & 1)];
          return conv[((b * info.outH + oy) * info.outW + ox) * outC + o]!;
        };
        const differ = want.filter((w, j) => w !== got[j] && y[j]! > 0 &&
          Math.abs(cellValue(j, w) - cellValue(j, got[j]!)) > 1e-5 + 1e-4 * Math.abs(cellValue(j, w)) + 2e-6 * terms).length;
        assert.equal(differ, 0, `${label} ${act}: winning cells`);
        // Backward through Winograd: all three gradients, from the pooled gradient and the winners.
        const dpool = rand(poolSize(pool), -1 / Math.sqrt(poolSize(pool)), 1 / Math.sqrt(poolSize(pool)));
        const expected = jsBackend.conv2dMaxPoolBackward(x, kernel, y, act, dpool, want, info, pool, true, true);
        const actual = native.conv2dMaxPoolBackward(x, kernel, y, act, dpool, want, info, pool, true, true);
        // Every pixel of a window given the window's |gradient|: at least the routed gradient's terms.
        const spread = jsBackend.avgPoolBackward(abs(dpool), pool).map((v) => 4 * v);
        assertClose(actual.dkernel, expected.dkernel, `${label}: kernel gradient`, filterGradTerms(x, spread, info));
        assertClose(actual.dx!, expected.dx!, `${label}: input gradient`, inputGradTerms(spread, kernel, info));
        assertClose(actual.dbias!, expected.dbias!, `${label}: bias gradient`);
      });
    });

    test('switched off, the same shapes take the GEMM and still agree', () => {
      assert.ok(addon!.setIsa(isa));
      const info = convInfo(2, 13, 13, 40, 70, 3, 1, true);
      addon!.setWinograd(0);
      try {
        assert.equal(addon!.convAlgorithm(geometry(info)), 'gemm');
        const x = rand(2 * 13 * 13 * 40);
        const kernel = kernelOf(40, 70);
        assertClose(native.conv2d(x, kernel, info, null, 'relu'), jsBackend.conv2d(x, kernel, info, null, 'relu'),
          'conv with Winograd off');
      } finally {
        addon!.setWinograd(4);
      }
      assert.equal(addon!.convAlgorithm(geometry(info)), 'winograd 4×4');
      // Too few channels, a stride, a 5×5 kernel, or a map so small that overhanging tiles cost more.
      for (const other of [convInfo(1, 9, 9, 24, 32, 3, 1, true), convInfo(1, 9, 9, 32, 32, 3, 2, true),
        convInfo(1, 9, 9, 32, 32, 5, 1, true), convInfo(1, 3, 3, 64, 64, 3, 1, true)]) {
        assert.equal(addon!.convAlgorithm(geometry(other)), 'gemm', JSON.stringify(other));
      }
    });
  });
}

for (const isa of isas) {
  describeIf(`native concatConv2dPointwise on ${isa} agrees with js`, () => {
    test('by bands of rows (direct and pointwise branches), whole (a Winograd branch), each activation; a next that is not pointwise is refused', () => {
      assert.ok(addon!.setIsa(isa));
      const acts: FusedActivation[] = ['relu', 'linear', 'sigmoid', 'tanh'];
      // batch, h, w, inC, channels of each branch, of next
      const cases: [number, number, number, number, number, number][] = [
        [2, 9, 7, 16, 24, 5], [1, 36, 5, 16, 64, 16], [3, 6, 6, 32, 17, 9],
      ];
      cases.forEach(([batch, h, w, inC, outC, nextC], i) => {
        const spec = (k: number, c: number, out: number): ConvSpec => {
          const limit = Math.sqrt(6 / (k * k * (c + out)));
          return { kernel: rand(k * k * c * out, -limit, limit), info: convInfo(batch, h, w, c, out, k, 1, true),
            bias: i % 2 ? rand(out) : null, activation: acts[(i + k) % acts.length]! };
        };
        const x = rand(batch * h * w * inC);
        const first = spec(1, inC, outC), second = spec(3, inC, outC + 3), next = spec(1, 2 * outC + 3, nextC);
        assertClose(native.concatConv2dPointwise(x, first, second, next), jsBackend.concatConv2dPointwise(x, first, second, next),
          `concatConv2dPointwise ${batch}×${h}×${w}×${inC} → ${outC} + ${outC + 3} → ${nextC}`);
      });
      const x = rand(2 * 5 * 5 * 16);
      const branch: ConvSpec = { kernel: rand(16 * 8), info: convInfo(2, 5, 5, 16, 8, 1, 1, true), bias: null, activation: 'relu' };
      const notPointwise: ConvSpec = { kernel: rand(9 * 16 * 4), info: convInfo(2, 5, 5, 16, 4, 3, 1, true), bias: null, activation: 'relu' };
      assert.throws(() => native.concatConv2dPointwise(x, branch, branch, notPointwise),
        /concatConv2dPointwise: next must be a pointwise convolution of the joined \[2, 5, 5, 16\], got a 3×3 stride 1 convolution of \[2, 5, 5, 16\]/);
    });
  });
}

describeIf('native augmentation warp gives the js warp\'s pixels', () => {
  test('every fill mode, 8-bit and float images, 1–4 channels, maps reaching far outside the image, flipped', () => {
    const r = rng(77);
    // RGB rows of 8+ pixels take AVX-512's eight-pixel groups, whole or partly inside the image.
    const shapes: [number, number, number][] = [[9, 13, 3], [1, 7, 1], [6, 1, 4], [15, 15, 3], [2, 2, 1], [40, 37, 3]];
    let cases = 0;
    for (const [h, w, c] of shapes) {
      for (const fillMode of FILL_MODES) {
        for (const eightBit of [true, false]) {
          for (let trial = 0; trial < 6; trial++) {
            const src = eightBit ? Uint8Array.from({ length: h * w * c }, () => Math.floor(r() * 256))
              : rand(h * w * c, -3, 3);
            // Rotation, shear and zoom up to 4×, shifts up to three image sizes: points land on
            // the edges exactly, just inside, and many periods away (wrap, reflect).
            const spread = trial < 2 ? 1 : 4;
            const map = { rr: (r() - 0.5) * spread, rc: (r() - 0.5) * spread, r0: trial === 0 ? 0 : (r() - 0.5) * 6 * h,
              cr: (r() - 0.5) * spread, cc: (r() - 0.5) * spread, c0: trial === 0 ? 0 : (r() - 0.5) * 6 * w };
            if (trial === 1) Object.assign(map, { rr: 1, rc: 0, cr: 0, cc: 1, r0: -1, c0: w - 0.5 });
            const cval = trial % 2 ? -1.5 : 0.25;
            // The rescale folded in: none, the lecture's 1/255, and a scale with a long mantissa.
            const scale = [1, Math.fround(1 / 255), Math.fround(Math.PI / 7)][trial % 3]!;
            const flips = { horizontal: trial % 2 === 1, vertical: trial % 4 >= 2 };
            const expected = new Float32Array(h * w * c).fill(NaN);
            const actual = new Float32Array(h * w * c).fill(NaN);
            affineWarpJs(src, h, w, c, map, fillMode, cval, expected, scale, flips);
            const coefficients = Float64Array.of(map.rr, map.rc, map.r0, map.cr, map.cc, map.c0);
            const mode = FILL_MODES.indexOf(fillMode);
            const args = [h, w, c, coefficients, mode, cval, scale, flips.horizontal, flips.vertical] as const;
            if (eightBit) addon!.affine_warp_u8(actual, src as Uint8Array, ...args);
            else addon!.affine_warp(actual, src as Float32Array, ...args);
            const i = expected.findIndex((e, k) => !Object.is(e, actual[k]));
            assert.equal(i, -1, `${h}×${w}×${c} ${fillMode} ${eightBit ? 'uint8' : 'float'} map ${JSON.stringify(map)} ` +
              `flips ${JSON.stringify(flips)}: pixel value ${i} is ${actual[i]}, js says ${expected[i]}`);
            cases++;
          }
        }
      }
    }
    assert.equal(cases, 6 * 4 * 2 * 6);
  });

  test('scale_u8 converts 8-bit pixels and rescales them as the js path does, across the pool', () => {
    const n = 3 * 150 * 150 + 7;
    const src = Uint8Array.from({ length: n }, (_, i) => (i * 7919) % 256);
    for (const scale of [1, Math.fround(1 / 255), Math.fround(-2.5e-3)]) {
      const actual = new Float32Array(n).fill(NaN);
      addon!.scale_u8(actual, src, n, scale);
      const i = actual.findIndex((v, k) => !Object.is(v, Math.fround(src[k]! * scale)));
      assert.equal(i, -1, `scale ${scale}: value ${i} is ${actual[i]}, expected ${Math.fround(src[i]! * scale)}`);
    }
  });
});

describeIf('the addon refuses arrays of the wrong element type, naming the argument', () => {
  test('Float32Array, Uint8Array, Float64Array and Int32Array arguments', () => {
    const map = new Float64Array(6);
    assert.throws(() => addon!.affine_warp(new Float32Array(3), new Uint8Array(3) as never, 1, 1, 3, map, 0, 0, 1, false,
      false), /argument 1: expected a Float32Array/);
    assert.throws(() => addon!.affine_warp_u8(new Float32Array(3), new Float32Array(3) as never, 1, 1, 3, map, 0, 0, 1, false,
      false), /argument 1: expected a Uint8Array/);
    assert.throws(() => addon!.affine_warp(new Float32Array(3), new Float32Array(3), 1, 1, 3, new Float32Array(6) as never,
      0, 0, 1, false, false), /argument 5: expected a Float64Array/);
    const batch = (sources: unknown, out = new Float32Array(12)): void => addon!.affine_warp_batch_u8(out,
      sources as Uint8Array[], new Float64Array(12), new Uint8Array(2), 2, 2, 3, 0, 0, 1);
    assert.throws(() => batch(new Uint8Array(12)), /argument 1: expected an array of Uint8Array/);
    assert.throws(() => batch([new Uint8Array(12), new Float32Array(12)], new Float32Array(24)),
      /affine_warp_batch_u8: source 1 is not a Uint8Array of 12 values/);
    assert.throws(() => batch([new Uint8Array(12), new Uint8Array(11)], new Float32Array(24)), /source 1 is not a Uint8Array of 12 values/);
    assert.throws(() => batch([new Uint8Array(12), new Uint8Array(12)]), /affine_warp_batch_u8: out, maps or flips too short/);
    assert.throws(() => addon!.max_pool(new Float32Array(1), new Float32Array(1), new Float32Array(12) as never),
      /argument 2: expected an Int32Array/);
  });
});

describeIf('native conv2d writes into a channel slice', () => {
  test('the slice matches js, the other channels stay as they were, and a slice that does not fit is refused', () => {
    const info = convInfo(2, 9, 17, 5, 7, 3, 1, true);
    const x = rand(2 * 9 * 17 * 5);
    const kernel = rand(3 * 3 * 5 * 7);
    const bias = rand(7);
    const pixels = 2 * 9 * 17;
    const expected = jsBackend.conv2d(x, kernel, info, bias, 'relu');
    const buffer = rand(pixels * 12);
    const before = buffer.slice();
    assert.equal(native.conv2d(x, kernel, info, bias, 'relu', { buffer, channels: 12, offset: 4 }), buffer);
    for (let p = 0; p < pixels; p++) {
      for (let c = 0; c < 12; c++) {
        const want = c >= 4 && c < 11 ? expected[p * 7 + c - 4]! : before[p * 12 + c]!;
        assert.ok(Math.abs(buffer[p * 12 + c]! - want) <= 1e-5 + 1e-4 * Math.abs(want), `pixel ${p} channel ${c}`);
      }
    }
    assert.throws(() => native.conv2d(x, kernel, info, bias, 'relu', { buffer, channels: 12, offset: 6 }),
      /conv2d: a 306×7 block at offset 6 in rows of 12 does not fit into/);
  });
});

for (const isa of isas) {
  describeIf(`native pooling on ${isa} agrees with js`, () => {
    test('conv2dMaxPool: valid and same pools, overlapping windows, several row groups; mismatched geometry is refused', () => {
      assert.ok(addon!.setIsa(isa));
      const cases: [Conv2DInfo, number, number, boolean][] = [
        [convInfo(2, 23, 10, 5, 7, 3, 1, false), 2, 2, false], [convInfo(1, 31, 12, 3, 40, 3, 2, false), 3, 2, false],
        [convInfo(3, 14, 9, 16, 33, 1, 1, false), 2, 2, true], [convInfo(1, 10, 10, 4, 6, 3, 1, true), 3, 1, true],
        // An RGB input layer, as model A's and SqueezeNet's first layers are.
        [convInfo(2, 20, 33, 3, 32, 3, 1, false), 2, 2, false], [convInfo(1, 27, 31, 3, 64, 3, 2, false), 3, 2, false],
        // Overlapping windows in groups of several pooled rows (as SqueezeNet's fire3), halved
        // until each thread has tasks: one image, then two.
        [convInfo(1, 36, 13, 16, 40, 3, 1, true), 3, 2, false], [convInfo(2, 36, 13, 16, 40, 3, 1, true), 3, 2, false],
      ];
      for (const [info, p, s, same] of cases) {
        const pool = poolInfo(info.batch, info.outH, info.outW, info.outC, p, s, same);
        const x = rand(info.batch * info.inH * info.inW * info.inC);
        const kernel = rand(info.kernelH * info.kernelW * info.inC * info.outC);
        const bias = rand(info.outC);
        assertClose(native.conv2dMaxPool(x, kernel, info, bias, 'relu', pool),
          jsBackend.conv2dMaxPool(x, kernel, info, bias, 'relu', pool), `conv2dMaxPool ${JSON.stringify(info)} pool ${p}/${s}`);
      }
      // Into channels [3, 3 + outC) of a pooled concatenation.
      for (const [info, p, s, same] of cases) {
        const pool = poolInfo(info.batch, info.outH, info.outW, info.outC, p, s, same);
        const x = rand(info.batch * info.inH * info.inW * info.inC);
        const kernel = rand(info.kernelH * info.kernelW * info.inC * info.outC);
        const channels = info.outC + 5;
        const slice = (b: Backend): Float32Array => b.conv2dMaxPool(x, kernel, info, null, 'relu', pool, undefined,
          { buffer: new Float32Array(poolSize(pool) / info.outC * channels).fill(7), channels, offset: 3 });
        assertClose(slice(native), slice(jsBackend), `conv2dMaxPool ${JSON.stringify(info)} into a channel slice`);
      }
      const [info] = cases[0]!;
      const wrong = poolInfo(info.batch, info.outH + 1, info.outW, info.outC, 2, 2, false);
      assert.throws(() => native.conv2dMaxPool(rand(2 * 23 * 10 * 5), rand(9 * 5 * 7), info, null, 'linear', wrong),
        /conv2dMaxPool: the pool's input \[2, 22, 8, 7\] must be the convolution's output \[2, 21, 8, 7\]/);
    });

    test('conv2dMaxPool notes where each value came from; conv2dMaxPoolBackward routes the gradient there', () => {
      assert.ok(addon!.setIsa(isa));
      const cases: [Conv2DInfo, number, number, boolean][] = [
        // RGB first layers, strided, padded, 5×5; windows that overlap, leave cells out, pad.
        [convInfo(2, 20, 33, 3, 32, 3, 1, false), 2, 2, false], [convInfo(1, 27, 31, 3, 17, 3, 2, true), 3, 2, false],
        [convInfo(3, 11, 9, 3, 5, 5, 1, true), 2, 2, true],
        // Patch rows of 24, 48, 192 (two rows summed at once) and 450 values (each row in two runs).
        [convInfo(2, 23, 10, 8, 7, 3, 1, false), 2, 2, false], [convInfo(1, 12, 13, 16, 9, 3, 1, true), 3, 1, true],
        [convInfo(2, 8, 9, 64, 5, 3, 1, false), 2, 2, false], [convInfo(1, 6, 7, 150, 4, 3, 1, true), 2, 2, true],
        [convInfo(2, 9, 9, 5, 6, 1, 1, false), 2, 3, false],
      ];
      for (const [info, p, s, same] of cases) {
        const pool = poolInfo(info.batch, info.outH, info.outW, info.outC, p, s, same);
        const label = `${JSON.stringify(info)} pool ${p}/${s} ${same ? 'same' : 'valid'}`;
        const x = rand(info.batch * info.inH * info.inW * info.inC);
        const kernel = rand(info.kernelH * info.kernelW * info.inC * info.outC);
        const bias = rand(info.outC);
        const [got, want] = [new Uint8Array(poolSize(pool)), new Uint8Array(poolSize(pool))];
        const y = native.conv2dMaxPool(x, kernel, info, bias, 'tanh', pool, got);
        assertClose(y, jsBackend.conv2dMaxPool(x, kernel, info, bias, 'tanh', pool, want), label);
        assert.deepEqual(got, want, `${label}: winning cells`);
        const dpool = rand(poolSize(pool), -1 / Math.sqrt(poolSize(pool)), 1 / Math.sqrt(poolSize(pool)));
        // The derivative is taken from y whatever produced it: tanh's here, and relu's and linear's of the same values.
        // Without the input's gradient, relu and linear first layers take the mask and the bias's sums inside the winners' sums.
        const variants = [['tanh', false, true], ['relu', false, true], ['relu', true, true], ['linear', false, true],
          ['linear', true, false]] as const;
        for (const [act, inputGrad, biasGrad] of variants) {
          const actual = native.conv2dMaxPoolBackward(x, kernel, y, act, dpool, want, info, pool, inputGrad, biasGrad);
          const expected = jsBackend.conv2dMaxPoolBackward(x, kernel, y, act, dpool, want, info, pool, inputGrad, biasGrad);
          assertClose(actual.dkernel, expected.dkernel, `${label} ${act} kernel gradient`);
          if (inputGrad) assertClose(actual.dx!, expected.dx!, `${label} ${act} input gradient`);
          else assert.equal(actual.dx, null, label);
          if (biasGrad) assertClose(actual.dbias!, expected.dbias!, `${label} ${act} bias gradient`);
          else assert.equal(actual.dbias, null, label);
        }
      }
      const [info, p] = cases[0]!;
      const pool = poolInfo(info.batch, info.outH, info.outW, info.outC, p, p, false);
      const x = rand(info.batch * info.inH * info.inW * info.inC);
      const kernel = rand(9 * 3 * 32);
      assert.throws(() => native.conv2dMaxPool(x, kernel, info, null, 'relu', pool, new Uint8Array(5)),
        /conv2dMaxPool: winners has 5 elements, expected 8640/);
      assert.throws(() => native.conv2dMaxPool(x, kernel, info, null, 'relu', pool, new Uint8Array(8640),
        { buffer: new Float32Array(8640 * 2), channels: 64, offset: 0 }), /winners are noted for a pooled output of its own/);
      const wide = poolInfo(1, 17, 17, 1, 17, 17, false);
      assert.throws(() => native.conv2dMaxPoolBackward(rand(17 * 17), rand(1), rand(1), 'relu', rand(1), new Uint8Array(1),
        convInfo(1, 17, 17, 1, 1, 1, 1, false), wide, false, true), /windows hold at most 256 cells, got 17×17/);
    });

    const cases: [number, number, number, number, number, number, boolean][] = [
      // batch, h, w, channels, pool, stride, same
      [1, 6, 6, 3, 2, 2, false], [20, 7, 5, 4, 2, 2, true], [1, 9, 8, 40, 3, 1, true], [2, 9, 9, 5, 3, 2, true],
      [1, 5, 7, 1, 3, 2, false], [20, 4, 4, 17, 2, 1, false], [2, 8, 10, 32, 2, 2, false], [1, 7, 9, 48, 3, 2, false],
      // Disjoint windows that leave cells uncovered: the last row and column, gaps between windows.
      [2, 7, 9, 5, 2, 2, false], [1, 8, 8, 3, 2, 3, false],
    ];
    test('max and average, forward and backward', () => {
      assert.ok(addon!.setIsa(isa));
      for (const [batch, h, w, c, p, s, same] of cases) {
        const info = poolInfo(batch, h, w, c, p, s, same);
        const x = rand(batch * h * w * c);
        const dy = rand(batch * info.outH * info.outW * c);
        const label = `pool ${batch}×${h}×${w}×${c} p${p} s${s} ${same ? 'same' : 'valid'}`;
        assertClose(native.maxPool(x, info), jsBackend.maxPool(x, info), `${label} max`);
        assertClose(native.maxPoolBackward(x, dy, info), jsBackend.maxPoolBackward(x, dy, info), `${label} max backward`);
        assertClose(native.avgPool(x, info), jsBackend.avgPool(x, info), `${label} avg`);
        assertClose(native.avgPoolBackward(dy, info), jsBackend.avgPoolBackward(dy, info), `${label} avg backward`);
      }
    });

    test('max pooling: NaN wins its window, as Math.max; -Infinity is a value like any other', () => {
      assert.ok(addon!.setIsa(isa));
      for (const [batch, h, w, c, p, s, same] of cases) {
        const info = poolInfo(batch, h, w, c, p, s, same);
        const x = rand(batch * h * w * c);
        for (let i = 0; i < x.length; i += 7) x[i] = i % 2 ? NaN : -Infinity;
        const label = `pool ${batch}×${h}×${w}×${c} p${p} s${s} ${same ? 'same' : 'valid'}`;
        const expected = jsBackend.maxPool(x, info);
        assert.ok(expected.some(Number.isNaN), `${label}: the case has NaN windows`);
        assertClose(native.maxPool(x, info), expected, `${label} max with NaN`);
      }
    });

    test('maxPoolBackward routes ties to the first maximal cell', () => {
      assert.ok(addon!.setIsa(isa));
      const info = poolInfo(2, 7, 6, 9, 3, 2, true);
      const x = rand(2 * 7 * 6 * 9).map((v) => Math.round(v));
      const dy = rand(2 * info.outH * info.outW * 9);
      assertClose(native.maxPoolBackward(x, dy, info), jsBackend.maxPoolBackward(x, dy, info), 'ties');
    });
  });
}

describeIf('native elementwise kernels agree with js', () => {
  test('unary ops and activation gradients', () => {
    const ops: UnaryOp[] = ['neg', 'exp', 'log', 'sqrt', 'square', 'abs', 'relu', 'sigmoid', 'tanh'];
    for (const n of [1, 17, 70001]) {
      for (const op of ops) {
        const x = op === 'log' || op === 'sqrt' ? rand(n, 0.01, 10) : rand(n, -6, 6);
        assertClose(native.unary(op, x), jsBackend.unary(op, x), `${op} ×${n}`);
      }
      for (const op of ['relu', 'sigmoid', 'tanh'] as const) {
        const y = jsBackend.unary(op, rand(n, -3, 3));
        const dy = rand(n);
        assertClose(native.activationGrad(op, y, dy), jsBackend.activationGrad(op, y, dy), `${op}' ×${n}`);
      }
    }
  });

  test('binary ops with NumPy broadcasting', () => {
    const ops: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'];
    const shapes: [number[], number[]][] = [
      [[3, 4], [3, 4]], [[20, 5, 5, 32], [32]], [[2, 1, 4], [1, 3, 1]], [[5], []], [[], [6, 7]],
      [[4, 1], [3]], [[2, 3, 4, 5], [3, 1, 5]], [[1, 1], [1]], [[70000], [70000]], [[300, 300], [1]],
      [[2, 3, 4], [2, 1, 4]], [[7, 1, 9], [7, 8, 1]],
    ];
    for (const op of ops) {
      for (const [aShape, bShape] of shapes) {
        const rank = Math.max(aShape.length, bShape.length);
        const pad = (s: number[]): number[] => [...new Array<number>(rank - s.length).fill(1), ...s];
        const outShape = pad(aShape).map((d, i) => Math.max(d, pad(bShape)[i]!));
        const size = (s: number[]): number => s.reduce((p, d) => p * d, 1);
        const a = op === 'pow' ? rand(size(aShape), 0.1, 3) : rand(size(aShape));
        const b = op === 'div' ? rand(size(bShape), 0.5, 2) : rand(size(bShape));
        assertClose(native.binary(op, a, aShape, b, bShape, outShape), jsBackend.binary(op, a, aShape, b, bShape, outShape),
          `${op} [${aShape}] [${bShape}]`);
      }
    }
  });
});

describeIf('native reductions and shape kernels agree with js', () => {
  test('reduce over the middle axis', () => {
    const cases = [[1, 1, 1], [3, 5, 1], [1, 5000, 32], [4, 1, 7], [7, 33, 9], [1, 100000, 1], [2, 300, 300], [50, 3, 2]];
    for (const [outer, n, inner] of cases as [number, number, number][]) {
      const x = rand(outer * n * inner);
      for (const op of ['sum', 'max'] as const) {
        assertClose(native.reduce(op, x, outer, n, inner), jsBackend.reduce(op, x, outer, n, inner),
          `${op} [${outer}, ${n}, ${inner}]`);
      }
    }
  });

  test('transpose', () => {
    const cases: [number[], number[]][] = [
      [[5, 7], [1, 0]], [[2, 3, 4], [0, 2, 1]], [[2, 3, 4], [2, 0, 1]], [[2, 3, 4], [1, 2, 0]], [[2, 3, 4], [2, 1, 0]],
      [[2, 3, 4], [0, 1, 2]], [[2, 3, 4, 5], [0, 3, 1, 2]], [[67, 45], [1, 0]], [[1, 6, 1, 4], [3, 2, 1, 0]], [[9], [0]],
    ];
    for (const [shape, perm] of cases) {
      const x = rand(shape.reduce((p, d) => p * d, 1));
      assertClose(native.transpose(x, shape, perm), jsBackend.transpose(x, shape, perm), `transpose [${shape}] [${perm}]`);
    }
  });

  test('copyBlock: short and long rows, offsets inside wider rows; a block outside its buffer is refused', () => {
    for (const [rows, width, dstStride, dstOffset, srcStride, srcOffset] of
      [[1, 1, 1, 0, 1, 0], [25920, 64, 128, 64, 64, 0], [7, 130, 300, 3, 140, 10], [3, 5, 5, 0, 12, 7]]) {
      const src = rand(rows * srcStride);
      const [dn, dj] = [rand(rows * dstStride), rand(rows * dstStride)];
      dj.set(dn);
      native.copyBlock(dn, dstStride, dstOffset, src, srcStride, srcOffset, rows, width);
      jsBackend.copyBlock(dj, dstStride, dstOffset, src, srcStride, srcOffset, rows, width);
      assert.deepEqual(dn, dj, `${rows}×${width}`);
      assert.equal(dn[(rows - 1) * dstStride + dstOffset + width - 1], src[(rows - 1) * srcStride + srcOffset + width - 1]);
    }
    assert.throws(() => native.copyBlock(new Float32Array(10), 5, 3, new Float32Array(10), 5, 0, 2, 3),
      /copyBlock: a 2×3 block at offset 3 in rows of 5 does not fit dst \(10 elements\)/);
    assert.throws(() => native.copyBlock(new Float32Array(10), 5, 0, new Float32Array(9), 5, 0, 2, 5), /does not fit src/);
  });

  test('softmax', () => {
    for (const [rows, cols] of [[1, 1], [7, 10], [1, 1000], [300, 3]] as [number, number][]) {
      const x = rand(rows * cols, -20, 20);
      assertClose(native.softmax(x, rows, cols), jsBackend.softmax(x, rows, cols), `softmax ${rows}×${cols}`);
    }
  });
});

describeIf('native optimizer updates agree with js', () => {
  const n = 40003;
  const run = (step: (b: Backend, w: Float32Array, g: Float32Array, slots: Float32Array[]) => void, slots: number,
    label: string): void => {
    const w0 = rand(n);
    const s0 = Array.from({ length: slots }, () => rand(n, 0, 0.1));
    const [wn, wj] = [w0.slice(), w0.slice()];
    const [sn, sj] = [s0.map((s) => s.slice()), s0.map((s) => s.slice())];
    for (let i = 0; i < 3; i++) {
      const g = rand(n);
      step(native, wn, g, sn);
      step(jsBackend, wj, g, sj);
    }
    assertClose(wn, wj, `${label} weights`);
    sn.forEach((s, i) => assertClose(s, sj[i]!, `${label} slot ${i}`));
  };

  test('sgd, momentum, nesterov, rmsprop, adam', () => {
    run((b, w, g) => b.sgdUpdate(w, g, null, { learningRate: 0.1, momentum: 0, nesterov: false }), 0, 'sgd');
    run((b, w, g, [v]) => b.sgdUpdate(w, g, v!, { learningRate: 0.1, momentum: 0.9, nesterov: false }), 1, 'momentum');
    run((b, w, g, [v]) => b.sgdUpdate(w, g, v!, { learningRate: 0.1, momentum: 0.9, nesterov: true }), 1, 'nesterov');
    run((b, w, g, [a]) => b.rmspropUpdate(w, g, a!, { learningRate: 1e-3, rho: 0.9, epsilon: 1e-7 }), 1, 'rmsprop');
    run((b, w, g, [m, v]) => b.adamUpdate(w, g, m!, v!, { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }),
      2, 'adam');
  });
});

describeIf('native memory', () => {
  test('alloc recycles released buffers and ignores foreign or repeated releases', () => {
    const a = native.alloc(1000);
    native.release(a);
    native.release(a);
    native.release(new Float32Array(1000));
    const b = native.alloc(1000);
    const c = native.alloc(1000);
    assert.equal(b, a);
    assert.notEqual(c, a);
    assert.equal(native.alloc(0).length, 0);
  });

  test('RSS stops growing over many training-like steps, released or not, without an event-loop turn', () => {
    const info = convInfo(4, 16, 16, 8, 16, 3, 1, true);
    const x = rand(4 * 16 * 16 * 8);
    const kernel = rand(3 * 3 * 8 * 16);
    const weights = rand(kernel.length);
    const meanSquare = new Float32Array(kernel.length);
    const step = (i: number): void => {
      const y = native.conv2d(x, kernel, info, null, 'relu');
      const dy = native.activationGrad('relu', y, y);
      const dx = native.conv2dBackpropInput(dy, kernel, info);
      const dk = native.conv2dBackpropFilter(x, dy, info);
      native.rmspropUpdate(weights, dk, meanSquare, { learningRate: 1e-4, rho: 0.9, epsilon: 1e-7 });
      // The engine releases what it knows is dead and leaves the rest to the garbage collector:
      // 2 MiB a step that only the GC can give back.
      for (const buffer of [y, dy, dk]) native.release(buffer);
      if (i % 2) native.release(dx);
      native.alloc(1 << 19).fill(i);
    };
    // No await between steps: a buffer the GC frees goes back to the pool at once, not on a
    // later turn of the event loop that a synchronous loop (or one awaiting only promises
    // that are already settled) never reaches.
    const train = (from: number, steps: number): void => {
      for (let i = from; i < from + steps; i++) step(i);
    };
    train(0, 100);
    const before = process.memoryUsage().rss;
    train(100, 300);
    const grown = (process.memoryUsage().rss - before) / 2 ** 20;
    assert.ok(grown < 64, `RSS grew by ${grown.toFixed(1)} MiB over 300 steps that each left 2 MiB to the GC`);
  });
});

describeIf('thread pool', () => {
  test('thousands of small parallel kernels back to back, some after a pause: every result complete', () => {
    const info = poolInfo(2, 16, 16, 8, 2, 2, false);  // 16 row tasks of a few microseconds
    const inputs = [rand(2 * 16 * 16 * 8), rand(2 * 16 * 16 * 8)];
    const expected = inputs.map((x) => jsBackend.maxPool(x, info));
    for (let i = 0; i < 4000; i++) {
      // A pause now and then lets the worker park, so that it wakes while (or after) the
      // calling thread takes the tasks: it must join in time or not at all.
      if (i % 7 === 0) for (const until = performance.now() + 0.1 + (i % 3) * 0.05; performance.now() < until;);
      const y = native.maxPool(inputs[i % 2]!, info);
      assert.deepEqual(y, expected[i % 2], `call ${i}`);
    }
  });
});
