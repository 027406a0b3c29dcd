/**
 * Two layers computed in one pass where no gradient is recorded (inference, frozen layers): the
 * first layer's output is never stored whole, which saves a trip through memory. Recording
 * gradients, each op is exactly the two ops it fuses, so backward never changes.
 */
import { isRecording } from '../autograd/tape.js';
import { getBackend } from '../backend/index.js';
import { pooledTensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { type Conv2DOptions, conv2d, convInfoFor } from './conv2d.js';
import { maxPool2d, type Pool2DOptions, pool2dInfo } from './pool2d.js';
import { concat } from './shape.js';

const needsGrad = (...tensors: (Tensor | null | undefined)[]): boolean =>
  isRecording() && tensors.some((t) => t?.requiresGrad);

/** One convolution of a channel concatenation: its input, kernel and options. */
export interface ConvBranch {
  x: Tensor;
  kernel: Tensor;
  options: Conv2DOptions;
}

/**
 * concat([conv2d(x, kernel, options) for each branch], channel axis), each convolution writing
 * its channels straight into the joined result: no copy of the whole output (SqueezeNet's fire
 * modules spent 16% of its inference on it).
 */
export function concatConv2d(branches: readonly ConvBranch[]): Tensor {
  if (needsGrad(...branches.flatMap(({ x, kernel, options }) => [x, kernel, options.bias]))) {
    return concat(branches.map(({ x, kernel, options }) => conv2d(x, kernel, options)), -1);
  }
  const infos = branches.map(({ x, kernel, options }) => convInfoFor(x, kernel, options));
  const { batch, outH, outW } = infos[0]!;
  const mismatch = infos.find((i) => i.batch !== batch || i.outH !== outH || i.outW !== outW);
  if (mismatch) {
    throw new Error(`concatConv2d: every branch must give [${batch}, ${outH}, ${outW}, ·], ` +
      `got [${mismatch.batch}, ${mismatch.outH}, ${mismatch.outW}, ·]`);
  }
  const channels = infos.reduce((sum, i) => sum + i.outC, 0);
  const backend = getBackend();
  const buffer = backend.alloc(batch * outH * outW * channels);
  let offset = 0;
  branches.forEach(({ x, kernel, options }, i) => {
    backend.conv2d(x.f32, kernel.f32, infos[i]!, options.bias?.f32 ?? null, options.activation ?? 'linear', { buffer, channels, offset });
    offset += infos[i]!.outC;
  });
  return pooledTensor(buffer, [batch, outH, outW, channels]);
}

/**
 * maxPool2d(conv2d(x, kernel, conv), pool), pooling each few convolved rows while they are in
 * cache: the lecture's convnet and VGG16 pool every block's last convolution, whose output
 * (56 MB for model A's first layer at batch 20) would otherwise be written and read back.
 */
export function conv2dMaxPool(x: Tensor, kernel: Tensor, conv: Conv2DOptions, pool: Pool2DOptions): Tensor {
  if (needsGrad(x, kernel, conv.bias)) return maxPool2d(conv2d(x, kernel, conv), pool);
  const info = convInfoFor(x, kernel, conv);
  const poolInfo = pool2dInfo([info.batch, info.outH, info.outW, info.outC], pool, 'conv2dMaxPool');
  const y = getBackend().conv2dMaxPool(x.f32, kernel.f32, info, conv.bias?.f32 ?? null, conv.activation ?? 'linear', poolInfo);
  return pooledTensor(y, [poolInfo.batch, poolInfo.outH, poolInfo.outW, poolInfo.channels]);
}
