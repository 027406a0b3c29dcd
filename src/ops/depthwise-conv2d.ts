import { record } from '../autograd/tape.js';
import { getBackend } from '../backend/index.js';
import { pooledTensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { axisGeometry, type Padding, pair } from './padding.js';

export interface DepthwiseConv2DOptions {
  strides?: number | [number, number];
  padding?: Padding;
}

interface Geometry {
  batch: number; inH: number; inW: number; channels: number; multiplier: number;
  kernelH: number; kernelW: number; outH: number; outW: number;
  strideH: number; strideW: number; padTop: number; padLeft: number;
}

function geometry(x: Tensor, kernel: Tensor, options: DepthwiseConv2DOptions): Geometry {
  const [batch, inH, inW, channels] = x.shape as [number, number, number, number];
  const [kernelH, kernelW, kc, multiplier] = kernel.shape as [number, number, number, number];
  if (x.rank !== 4 || kernel.rank !== 4 || kc !== channels) {
    throw new Error(`depthwiseConv2d: expected input [batch, h, w, c] and kernel [kh, kw, c, multiplier] with the same c, ` +
      `got [${x.shape.join(', ')}] and [${kernel.shape.join(', ')}]`);
  }
  const [strideH, strideW] = pair(options.strides ?? 1, 'strides', 'depthwiseConv2d');
  const padding = options.padding ?? 'valid';
  const rows = axisGeometry(inH, kernelH, strideH, padding);
  const cols = axisGeometry(inW, kernelW, strideW, padding);
  if (rows.out < 1 || cols.out < 1) {
    throw new Error(`depthwiseConv2d: a ${kernelH}×${kernelW} kernel does not fit an input of ${inH}×${inW} with '${padding}' padding`);
  }
  return { batch, inH, inW, channels, multiplier, kernelH, kernelW, outH: rows.out, outW: cols.out,
    strideH, strideW, padTop: rows.padBefore, padLeft: cols.padBefore };
}

/**
 * Every (output pixel, kernel tap) pair whose input pixel lies inside the image, as triples of
 * offsets: output pixel, input pixel, tap. Forward and both gradients walk this one list, with
 * their channel loops written out in place (a callback per pair would not be inlined).
 */
function pairs(g: Geometry): Int32Array {
  const outChannels = g.channels * g.multiplier;
  const list = new Int32Array(g.batch * g.outH * g.outW * g.kernelH * g.kernelW * 3);
  let n = 0;
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++) {
        const out = ((b * g.outH + oy) * g.outW + ox) * outChannels;
        for (let ky = 0; ky < g.kernelH; ky++) {
          const iy = oy * g.strideH + ky - g.padTop;
          if (iy < 0 || iy >= g.inH) continue;
          for (let kx = 0; kx < g.kernelW; kx++) {
            const ix = ox * g.strideW + kx - g.padLeft;
            if (ix < 0 || ix >= g.inW) continue;
            list[n++] = out;
            list[n++] = ((b * g.inH + iy) * g.inW + ix) * g.channels;
            list[n++] = (ky * g.kernelW + kx) * outChannels;
          }
        }
      }
    }
  }
  return list.subarray(0, n);
}

/**
 * Depthwise 2-D convolution, as Keras's DepthwiseConv2D: each input channel c is convolved with
 * its own `multiplier` filters kernel[:, :, c, m], giving output channel c·multiplier + m.
 * Written in TypeScript for every backend; forward and backward walk the same list of pairs.
 */
export function depthwiseConv2d(x: Tensor, kernel: Tensor, options: DepthwiseConv2DOptions = {}): Tensor {
  const g = geometry(x, kernel, options);
  const { channels: C, multiplier: M } = g;
  const backend = getBackend();
  const [xs, ks] = [x.f32, kernel.f32];
  const y = backend.alloc(g.batch * g.outH * g.outW * C * M).fill(0);
  const list = pairs(g);
  for (let t = 0; t < list.length; t += 3) {
    const out = list[t]!, inp = list[t + 1]!, tap = list[t + 2]!;
    for (let c = 0; c < C; c++) {
      const v = xs[inp + c]!;
      for (let m = 0; m < M; m++) y[out + c * M + m] += v * ks[tap + c * M + m]!;
    }
  }
  return record(pooledTensor(y, [g.batch, g.outH, g.outW, C * M]), 'depthwiseConv2d', [x, kernel], (dy) => {
    const d = dy.f32;
    const dx = x.requiresGrad ? backend.alloc(x.size).fill(0) : null;
    const dk = backend.alloc(kernel.size).fill(0);
    for (let t = 0; t < list.length; t += 3) {
      const out = list[t]!, inp = list[t + 1]!, tap = list[t + 2]!;
      for (let c = 0; c < C; c++) {
        const v = xs[inp + c]!;
        let sum = 0;
        for (let m = 0; m < M; m++) {
          const grad = d[out + c * M + m]!;
          dk[tap + c * M + m] += v * grad;
          sum += grad * ks[tap + c * M + m]!;
        }
        if (dx) dx[inp + c] += sum;
      }
    }
    return [dx ? pooledTensor(dx, x.shape) : null, pooledTensor(dk, kernel.shape)];
  });
}
