import { record } from '../autograd/tape.js';
import type { Conv2DInfo, FusedActivation } from '../backend/backend.js';
import { getBackend } from '../backend/index.js';
import { pooledTensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { activationBackward } from './activations.js';
import { axisGeometry, type Padding, pair } from './padding.js';
import { sumAxes } from './reduce.js';
import { markReluOutput, preMaskedPooled } from './relu-pool-grad.js';

export interface Conv2DOptions {
  strides?: number | [number, number];
  padding?: Padding;
  /** Fused into the kernel's epilogue: y = activation(conv + bias). */
  bias?: Tensor | null;
  activation?: FusedActivation;
}

/** A convolution's geometry; errors name `op`, the op that was called (a fused one, or conv2d). */
export function conv2dInfo(xShape: readonly number[], kernelShape: readonly number[],
  strides: [number, number], padding: Padding, op = 'conv2d'): Conv2DInfo {
  if (xShape.length !== 4 || kernelShape.length !== 4 || xShape[3] !== kernelShape[2]) {
    throw new Error(`${op}: expected input [batch, h, w, c] and kernel [kh, kw, c, filters] with the same c, ` +
      `got [${xShape.join(', ')}] and [${kernelShape.join(', ')}]`);
  }
  const [batch, inH, inW, inC] = xShape as [number, number, number, number];
  const [kernelH, kernelW, , outC] = kernelShape as [number, number, number, number];
  const rows = axisGeometry(inH, kernelH, strides[0], padding);
  const cols = axisGeometry(inW, kernelW, strides[1], padding);
  if (rows.out < 1 || cols.out < 1) {
    throw new Error(`${op}: a ${kernelH}×${kernelW} kernel does not fit an input of ${inH}×${inW} with '${padding}' padding`);
  }
  return { batch, inH, inW, inC, outH: rows.out, outW: cols.out, outC, kernelH, kernelW,
    strideH: strides[0], strideW: strides[1], padTop: rows.padBefore, padLeft: cols.padBefore };
}

/** The geometry of conv2d(x, kernel, options) for an x of shape `xShape`, inside `op`. */
export const convInfoFor = (xShape: readonly number[], kernel: Tensor, options: Conv2DOptions, op = 'conv2d'): Conv2DInfo =>
  conv2dInfo(xShape, kernel.shape, pair(options.strides ?? 1, 'strides', op), options.padding ?? 'valid', op);

/** 2-D cross-correlation: NHWC input, kernel [kh, kw, in, out], as Keras's Conv2D. */
export function conv2d(x: Tensor, kernel: Tensor, options: Conv2DOptions = {}): Tensor {
  const info = convInfoFor(x.shape, kernel, options);
  const bias = options.bias ?? null;
  const activation = options.activation ?? 'linear';
  const backend = getBackend();
  const y = pooledTensor(backend.conv2d(x.f32, kernel.f32, info, bias ? bias.f32 : null, activation),
    [info.batch, info.outH, info.outW, info.outC]);
  const inputs = bias ? [x, kernel, bias] : [x, kernel];
  if (activation === 'relu') markReluOutput(y);
  return record(y, 'conv2d', inputs, (dy) => {
    // A following max pool may have applied relu' already (see relu-pool-grad.ts).
    const pooled = preMaskedPooled(dy, y);
    const dz = pooled || activation === 'linear' ? dy : activationBackward(activation, y, dy);
    const grads = [
      x.requiresGrad ? pooledTensor(backend.conv2dBackpropInput(dz.f32, kernel.f32, info), x.shape) : null,
      pooledTensor(backend.conv2dBackpropFilter(x.f32, dz.f32, info), kernel.shape),
    ];
    return bias ? [...grads, sumAxes(pooled ?? dz, [0, 1, 2])] : grads;
  });
}
