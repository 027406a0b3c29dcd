/**
 * Convolutions computed with the concatenation that joins them, where no gradient is recorded
 * (inference, frozen layers): the joined output is written once, never copied together.
 * Recording gradients, the op is exactly the ops it fuses, so backward never changes.
 */
import { isRecording } from '../autograd/tape.js';
import { getBackend } from '../backend/index.js';
import { pooledTensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { type Conv2DOptions, conv2d, convInfoFor } from './conv2d.js';
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
