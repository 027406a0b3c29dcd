import { record } from '../autograd/tape.js';
import type { Pool2DInfo } from '../backend/backend.js';
import { getBackend } from '../backend/index.js';
import { pooledTensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { activationBackward } from './activations.js';
import { axisGeometry, type Padding, pair } from './padding.js';
import { attachPreMasked, isReluOutput } from './relu-pool-grad.js';

export interface Pool2DOptions {
  poolSize?: number | [number, number];
  /** Defaults to the pool size, as in Keras. */
  strides?: number | [number, number] | null;
  padding?: Padding;
}

export function pool2dInfo(xShape: readonly number[], options: Pool2DOptions, op: string): Pool2DInfo {
  if (xShape.length !== 4) throw new Error(`${op}: expected input [batch, h, w, c], got [${xShape.join(', ')}]`);
  const [poolH, poolW] = pair(options.poolSize ?? 2, 'poolSize', op);
  const [strideH, strideW] = pair(options.strides ?? [poolH, poolW], 'strides', op);
  const padding = options.padding ?? 'valid';
  const [batch, inH, inW, channels] = xShape as [number, number, number, number];
  const rows = axisGeometry(inH, poolH, strideH, padding);
  const cols = axisGeometry(inW, poolW, strideW, padding);
  if (rows.out < 1 || cols.out < 1) {
    throw new Error(`${op}: a ${poolH}×${poolW} pool does not fit an input of ${inH}×${inW} with '${padding}' padding`);
  }
  return { batch, inH, inW, channels, outH: rows.out, outW: cols.out, poolH, poolW, strideH, strideW,
    padTop: rows.padBefore, padLeft: cols.padBefore };
}

const outShape = (i: Pool2DInfo): number[] => [i.batch, i.outH, i.outW, i.channels];

/** Max over each window; padded cells never win. */
export function maxPool2d(x: Tensor, options: Pool2DOptions = {}): Tensor {
  const info = pool2dInfo(x.shape, options, 'maxPool2d');
  const backend = getBackend();
  const y = pooledTensor(backend.maxPool(x.f32, info), outShape(info));
  return record(y, 'maxPool2d', [x], (dy) => {
    if (!isReluOutput(x)) return [pooledTensor(backend.maxPoolBackward(x.f32, dy.f32, info), x.shape)];
    const masked = activationBackward('relu', y, dy);
    return [attachPreMasked(pooledTensor(backend.maxPoolBackward(x.f32, masked.f32, info), x.shape), x, masked)];
  });
}

/** Mean over each window's real (unpadded) cells. */
export function averagePool2d(x: Tensor, options: Pool2DOptions = {}): Tensor {
  const info = pool2dInfo(x.shape, options, 'averagePool2d');
  const backend = getBackend();
  const y = pooledTensor(backend.avgPool(x.f32, info), outShape(info));
  return record(y, 'averagePool2d', [x], (dy) => [pooledTensor(backend.avgPoolBackward(dy.f32, info), x.shape)]);
}
