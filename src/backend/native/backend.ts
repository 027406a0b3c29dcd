import { type Backend, type Conv2DInfo, MAX_WINDOW_CELLS, type Pool2DInfo } from '../backend.js';
import type { NativeAddon } from './addon.js';
import {
  checkBlock, checkBroadcast, checkCount, checkLength, checkShape, convGeometry, poolGeometry, sizeOf,
} from './checks.js';
import { activationCode, binaryCode, reduceCode, unaryCode } from './codes.js';
import { NativeBufferPool } from './memory.js';

/** Element counts of a convolution's NHWC input and output and of its kernel. */
const convSizes = (i: Conv2DInfo) => ({
  input: i.batch * i.inH * i.inW * i.inC,
  output: i.batch * i.outH * i.outW * i.outC,
  kernel: i.kernelH * i.kernelW * i.inC * i.outC,
});

/** Element counts of a pooling's NHWC input and output. */
const poolSizes = (i: Pool2DInfo) => ({
  input: i.batch * i.inH * i.inW * i.channels,
  output: i.batch * i.outH * i.outW * i.channels,
});

/** A forward convolution's geometry for the addon, after checking its arguments' sizes. */
function checkedConv(kernelName: string, x: Float32Array, kernel: Float32Array, info: Conv2DInfo,
  bias: Float32Array | null): Int32Array {
  const geometry = convGeometry(kernelName, info);
  checkLength(kernelName, 'x', x, convSizes(info).input);
  checkLength(kernelName, 'kernel', kernel, convSizes(info).kernel);
  if (bias) checkLength(kernelName, 'bias', bias, info.outC);
  return geometry;
}

/**
 * The geometry for the addon of a max pool over a convolution's output, after checking that it
 * is that output and, with `winners`, that they fit: a byte per pooled value, windows of at most 256 cells.
 */
function checkedConvPool(kernelName: string, info: Conv2DInfo, pool: Pool2DInfo, winners?: Uint8Array): Int32Array {
  const poolGeom = poolGeometry(kernelName, pool);
  const convOut = [info.batch, info.outH, info.outW, info.outC];
  const poolIn = [pool.batch, pool.inH, pool.inW, pool.channels];
  if (poolIn.some((d, i) => d !== convOut[i])) {
    throw new Error(`${kernelName}: the pool's input [${poolIn.join(', ')}] must be the convolution's output [${convOut.join(', ')}]`);
  }
  if (!winners) return poolGeom;
  if (pool.poolH * pool.poolW > MAX_WINDOW_CELLS) {
    throw new Error(`${kernelName}: winners are bytes, so windows hold at most ${MAX_WINDOW_CELLS} cells, got ${pool.poolH}×${pool.poolW}`);
  }
  checkLength(kernelName, 'winners', winners, poolSizes(pool).output);
  return poolGeom;
}

/** The Backend contract over the compiled kernels: checks in TS, then one native call. */
export function createNativeBackend(addon: NativeAddon): Backend {
  const pool = new NativeBufferPool((size) => addon.alloc(size));
  const alloc = (size: number, op?: string): Float32Array => pool.alloc(size, op);

  return {
    name: 'native',
    alloc,
    release: (buffer) => pool.release(buffer),

    unary(op, x) {
      const y = alloc(x.length, 'unary');
      if (x.length) addon.unary(y, unaryCode[op], x, x.length);
      return y;
    },

    activationGrad(op, y, dy) {
      checkLength('activationGrad', 'dy', dy, y.length);
      const dx = alloc(y.length, 'activationGrad');
      if (y.length) addon.activation_grad(dx, activationCode[op], y, dy, y.length);
      return dx;
    },

    binary(op, a, aShape, b, bShape, outShape) {
      for (const [name, shape] of [['aShape', aShape], ['bShape', bShape], ['outShape', outShape]] as const) {
        checkShape('binary', name, shape);
      }
      checkLength('binary', 'a', a, sizeOf(aShape));
      checkLength('binary', 'b', b, sizeOf(bShape));
      checkBroadcast('binary', 'a', aShape, outShape);
      checkBroadcast('binary', 'b', bShape, outShape);
      const out = alloc(sizeOf(outShape), 'binary');
      if (out.length) {
        addon.binary(out, binaryCode[op], a, Int32Array.from(aShape), b, Int32Array.from(bShape), Int32Array.from(outShape));
      }
      return out;
    },

    reduce(op, x, outer, n, inner) {
      for (const [name, v] of [['outer', outer], ['n', n], ['inner', inner]] as const) checkCount('reduce', name, v);
      checkLength('reduce', 'x', x, outer * n * inner);
      const out = alloc(outer * inner, 'reduce');
      if (out.length) {
        if (n === 0) out.fill(op === 'sum' ? 0 : -Infinity);
        else addon.reduce(out, reduceCode[op], x, outer, n, inner);
      }
      return out;
    },

    transpose(x, shape, perm) {
      checkShape('transpose', 'shape', shape);
      checkLength('transpose', 'x', x, sizeOf(shape));
      if (perm.length !== shape.length || [...perm].sort((p, q) => p - q).some((p, i) => p !== i)) {
        throw new Error(`transpose: perm [${perm.join(', ')}] is not a permutation of the ${shape.length} axes`);
      }
      const out = alloc(x.length, 'transpose');
      if (x.length) addon.transpose(out, x, Int32Array.from(shape), Int32Array.from(perm));
      return out;
    },

    copyBlock(dst, dstStride, dstOffset, src, srcStride, srcOffset, rows, width) {
      const args = { dstStride, dstOffset, srcStride, srcOffset, rows, width };
      for (const [name, v] of Object.entries(args)) checkCount('copyBlock', name, v);
      checkBlock('copyBlock', 'dst', dst, dstStride, dstOffset, rows, width);
      checkBlock('copyBlock', 'src', src, srcStride, srcOffset, rows, width);
      if (rows && width) addon.copy_block(dst, dstStride, dstOffset, src, srcStride, srcOffset, rows, width);
    },

    softmax(x, rows, cols) {
      checkCount('softmax', 'rows', rows);
      checkCount('softmax', 'cols', cols);
      checkLength('softmax', 'x', x, rows * cols);
      const out = alloc(x.length, 'softmax');
      if (x.length) addon.softmax(out, x, rows, cols);
      return out;
    },

    matmul(a, b, m, k, n, transA, transB, bias, activation) {
      for (const [name, v] of [['m', m], ['k', k], ['n', n]] as const) checkCount('matmul', name, v);
      checkLength('matmul', 'a', a, m * k);
      checkLength('matmul', 'b', b, k * n);
      if (bias) checkLength('matmul', 'bias', bias, n);
      const c = alloc(m * n, 'matmul');
      if (c.length) addon.matmul(c, a, b, m, k, n, transA, transB, bias, activationCode[activation]);
      return c;
    },

    conv2d(x, kernel, info, bias, activation, into) {
      const geometry = checkedConv('conv2d', x, kernel, info, bias);
      const pixels = info.batch * info.outH * info.outW;
      if (into) checkBlock('conv2d', 'into', into.buffer, into.channels, into.offset, pixels, info.outC);
      const y = into?.buffer ?? alloc(convSizes(info).output, 'conv2d');
      addon.conv2d(y, x, kernel, geometry, bias, activationCode[activation], into?.channels ?? info.outC, into?.offset ?? 0);
      return y;
    },

    concatConv2dPointwise(x, first, second, next) {
      const name = 'concatConv2dPointwise';
      const geometries = [first, second].map((c) => checkedConv(name, x, c.kernel, c.info, c.bias));
      const n = next.info;
      const nextGeometry = convGeometry(name, n);
      checkLength(name, 'next kernel', next.kernel, convSizes(n).kernel);
      if (next.bias) checkLength(name, 'next bias', next.bias, n.outC);
      const { batch, outH, outW } = first.info;
      const joined = [batch, outH, outW, first.info.outC + second.info.outC];
      const nextIn = [n.batch, n.inH, n.inW, n.inC];
      if (second.info.batch !== batch || second.info.outH !== outH || second.info.outW !== outW ||
        nextIn.some((d, i) => d !== joined[i]) || n.kernelH !== 1 || n.kernelW !== 1 || n.strideH !== 1 ||
        n.strideW !== 1 || n.padTop !== 0 || n.padLeft !== 0) {
        throw new Error(`${name}: next must be a pointwise convolution of the joined [${joined.join(', ')}], ` +
          `got a ${n.kernelH}×${n.kernelW} stride ${n.strideH} convolution of [${nextIn.join(', ')}]`);
      }
      const z = alloc(convSizes(n).output, 'concatConv2dPointwise');
      addon.concat_conv2d_pointwise(z, x, first.kernel, geometries[0]!, first.bias, activationCode[first.activation],
        second.kernel, geometries[1]!, second.bias, activationCode[second.activation],
        next.kernel, nextGeometry, next.bias, activationCode[next.activation]);
      return z;
    },

    conv2dMaxPool(x, kernel, info, bias, activation, pool, winners, into) {
      const geometry = checkedConv('conv2dMaxPool', x, kernel, info, bias);
      const poolGeom = checkedConvPool('conv2dMaxPool', info, pool, winners);
      if (winners && into) throw new Error('conv2dMaxPool: winners are noted for a pooled output of its own, not one written into a concatenation');
      if (into) checkBlock('conv2dMaxPool', 'into', into.buffer, into.channels, into.offset, pool.batch * pool.outH * pool.outW, info.outC);
      const y = into?.buffer ?? alloc(poolSizes(pool).output, 'conv2dMaxPool');
      addon.conv2d_max_pool(y, winners ?? null, x, kernel, geometry, bias, activationCode[activation], poolGeom,
        into?.channels ?? info.outC, into?.offset ?? 0);
      return y;
    },

    conv2dMaxPoolBackward(x, kernel, y, activation, dy, winners, info, pool, inputGrad, biasGrad) {
      const geometry = checkedConv('conv2dMaxPoolBackward', x, kernel, info, null);
      const poolGeom = checkedConvPool('conv2dMaxPoolBackward', info, pool, winners);
      checkLength('conv2dMaxPoolBackward', 'y', y, poolSizes(pool).output);
      checkLength('conv2dMaxPoolBackward', 'dy', dy, poolSizes(pool).output);
      const dx = inputGrad ? alloc(x.length, 'conv2dMaxPoolBackward') : null;
      const dkernel = alloc(kernel.length, 'conv2dMaxPoolBackward');
      const dbias = biasGrad ? alloc(info.outC, 'conv2dMaxPoolBackward') : null;
      addon.conv2d_max_pool_backward(dx, dkernel, dbias, x, kernel, y, activationCode[activation], dy, winners, geometry,
        poolGeom);
      return { dx, dkernel, dbias };
    },

    conv2dBackpropInput(dy, kernel, info) {
      const geometry = convGeometry('conv2dBackpropInput', info);
      checkLength('conv2dBackpropInput', 'dy', dy, convSizes(info).output);
      checkLength('conv2dBackpropInput', 'kernel', kernel, convSizes(info).kernel);
      const dx = alloc(convSizes(info).input, 'conv2dBackpropInput');
      addon.conv2d_backprop_input(dx, dy, kernel, geometry);
      return dx;
    },

    conv2dBackpropFilter(x, dy, info) {
      const geometry = convGeometry('conv2dBackpropFilter', info);
      checkLength('conv2dBackpropFilter', 'x', x, convSizes(info).input);
      checkLength('conv2dBackpropFilter', 'dy', dy, convSizes(info).output);
      const dk = alloc(convSizes(info).kernel, 'conv2dBackpropFilter');
      addon.conv2d_backprop_filter(dk, x, dy, geometry);
      return dk;
    },

    maxPool(x, info) {
      const geometry = poolGeometry('maxPool', info);
      checkLength('maxPool', 'x', x, poolSizes(info).input);
      const y = alloc(poolSizes(info).output, 'maxPool');
      addon.max_pool(y, x, geometry);
      return y;
    },

    maxPoolBackward(x, dy, info) {
      const geometry = poolGeometry('maxPoolBackward', info);
      checkLength('maxPoolBackward', 'x', x, poolSizes(info).input);
      checkLength('maxPoolBackward', 'dy', dy, poolSizes(info).output);
      const dx = alloc(x.length, 'maxPoolBackward');
      addon.max_pool_backward(dx, x, dy, geometry);
      return dx;
    },

    avgPool(x, info) {
      const geometry = poolGeometry('avgPool', info);
      checkLength('avgPool', 'x', x, poolSizes(info).input);
      const y = alloc(poolSizes(info).output, 'avgPool');
      addon.avg_pool(y, x, geometry);
      return y;
    },

    avgPoolBackward(dy, info) {
      const geometry = poolGeometry('avgPoolBackward', info);
      checkLength('avgPoolBackward', 'dy', dy, poolSizes(info).output);
      const dx = alloc(poolSizes(info).input, 'avgPoolBackward');
      addon.avg_pool_backward(dx, dy, geometry);
      return dx;
    },

    sgdUpdate(weight, grad, velocity, o) {
      checkLength('sgdUpdate', 'grad', grad, weight.length);
      if (velocity) checkLength('sgdUpdate', 'velocity', velocity, weight.length);
      addon.sgd_update(weight, grad, velocity, weight.length, o.learningRate, o.momentum, o.nesterov);
    },

    rmspropUpdate(weight, grad, meanSquare, o) {
      checkLength('rmspropUpdate', 'grad', grad, weight.length);
      checkLength('rmspropUpdate', 'meanSquare', meanSquare, weight.length);
      addon.rmsprop_update(weight, grad, meanSquare, weight.length, o.learningRate, o.rho, o.epsilon);
    },

    adamUpdate(weight, grad, m, v, o) {
      checkLength('adamUpdate', 'grad', grad, weight.length);
      checkLength('adamUpdate', 'm', m, weight.length);
      checkLength('adamUpdate', 'v', v, weight.length);
      addon.adam_update(weight, grad, m, v, weight.length, o.learningRate, o.beta1, o.beta2, o.epsilon);
    },
  };
}
