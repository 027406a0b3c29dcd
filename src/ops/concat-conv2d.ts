/**
 * Convolutions computed with the concatenation that joins them (and a max pool or a pointwise
 * convolution after it), where
 * no gradient is recorded (inference, frozen layers): each convolution writes its channels
 * straight into the joined result, so the whole is never copied together. Recording gradients,
 * each op is exactly the ops it fuses, so backward never changes.
 */
import { isRecording } from '../autograd/tape.js';
import type { Conv2DInfo, ConvSpec } from '../backend/backend.js';
import { getBackend } from '../backend/index.js';
import { pooledTensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { type Conv2DOptions, conv2d, convInfoFor } from './conv2d.js';
import { pair } from './padding.js';
import { maxPool2d, type Pool2DOptions, pool2dInfo } from './pool2d.js';
import { concat } from './shape.js';

/** One convolution of a channel concatenation: its input, kernel and options. */
export interface ConvBranch {
  x: Tensor;
  kernel: Tensor;
  options: Conv2DOptions;
}

const needsGrad = (branches: readonly ConvBranch[]): boolean =>
  isRecording() && branches.some(({ x, kernel, options }) => [x, kernel, options.bias].some((t) => t?.requiresGrad));

const plain = (branches: readonly ConvBranch[]): Tensor =>
  concat(branches.map(({ x, kernel, options }) => conv2d(x, kernel, options)), -1);

/** Each branch's geometry, after checking that they all give the same batch and pixels. */
function branchInfos(branches: readonly ConvBranch[], op: string): Conv2DInfo[] {
  const infos = branches.map(({ x, kernel, options }) => convInfoFor(x.shape, kernel, options, op));
  const { batch, outH, outW } = infos[0]!;
  const mismatch = infos.find((i) => i.batch !== batch || i.outH !== outH || i.outW !== outW);
  if (mismatch) {
    throw new Error(`${op}: every branch must give [${batch}, ${outH}, ${outW}, ·], ` +
      `got [${mismatch.batch}, ${mismatch.outH}, ${mismatch.outW}, ·]`);
  }
  return infos;
}

/**
 * concat([conv2d(x, kernel, options) for each branch], channel axis): no copy of the whole
 * output (SqueezeNet's fire modules spent 16% of its inference on it).
 */
export function concatConv2d(branches: readonly ConvBranch[]): Tensor {
  // Checked first, so that errors name this op on either path.
  const infos = branchInfos(branches, 'concatConv2d');
  if (needsGrad(branches)) return plain(branches);
  const { batch, outH, outW } = infos[0]!;
  const channels = infos.reduce((sum, i) => sum + i.outC, 0);
  const backend = getBackend();
  const buffer = backend.alloc(batch * outH * outW * channels);
  let offset = 0;
  branches.forEach(({ x, kernel, options }, i) => {
    backend.conv2d(x.f32, kernel.f32, infos[i]!, options.bias?.f32 ?? null, options.activation ?? 'linear',
      { buffer, channels, offset });
    offset += infos[i]!.outC;
  });
  return pooledTensor(buffer, [batch, outH, outW, channels]);
}

/**
 * maxPool2d(concatConv2d(branches), pool): max pooling acts on each channel alone, so every
 * convolution is pooled into its own channels of the result, and the full-size concatenation
 * (13 MB after SqueezeNet's fire3 at batch 20) is neither written nor read back.
 */
export function concatConv2dMaxPool(branches: readonly ConvBranch[], pool: Pool2DOptions): Tensor {
  const infos = branchInfos(branches, 'concatConv2dMaxPool');
  const { batch, outH, outW } = infos[0]!;
  const channels = infos.reduce((sum, i) => sum + i.outC, 0);
  const pooled = pool2dInfo([batch, outH, outW, channels], pool, 'concatConv2dMaxPool');
  if (needsGrad(branches)) return maxPool2d(plain(branches), pool);
  const backend = getBackend();
  const buffer = backend.alloc(pooled.batch * pooled.outH * pooled.outW * channels);
  let offset = 0;
  branches.forEach(({ x, kernel, options }, i) => {
    const info = infos[i]!;
    backend.conv2dMaxPool(x.f32, kernel.f32, info, options.bias?.f32 ?? null, options.activation ?? 'linear',
      { ...pooled, channels: info.outC }, undefined, { buffer, channels, offset });
    offset += info.outC;
  });
  return pooledTensor(buffer, [pooled.batch, pooled.outH, pooled.outW, channels]);
}

/** A convolution whose input is to be computed: its kernel and options. */
export interface NextConv {
  kernel: Tensor;
  options: Conv2DOptions;
}

/** Whether `next` is pointwise: 1×1, stride 1 (no padding whatever the mode). */
export const isPointwise = ({ kernel, options }: NextConv): boolean =>
  kernel.shape[0] === 1 && kernel.shape[1] === 1 && pair(options.strides ?? 1, 'strides', 'conv2d').every((s) => s === 1);

/**
 * conv2d(concatConv2d([first, second]), next) for two convolutions of one input and a pointwise
 * `next`: the concatenation is made and consumed a band of rows at a time, so it is never
 * written out whole and read back (SqueezeNet's fire2 and fire3's squeeze: 13 MB at batch 20).
 */
export function concatConv2dPointwise(branches: readonly [ConvBranch, ConvBranch], next: NextConv): Tensor {
  const [first, second] = branches;
  const [info0, info1] = branchInfos(branches, 'concatConv2dPointwise') as [Conv2DInfo, Conv2DInfo];
  const joined = [info0.batch, info0.outH, info0.outW, info0.outC + info1.outC];
  const nextInfo = convInfoFor(joined, next.kernel, next.options, 'concatConv2dPointwise');
  const nextNeedsGrad = isRecording() && [next.kernel, next.options.bias].some((t) => t?.requiresGrad);
  if (needsGrad(branches) || nextNeedsGrad || first.x !== second.x || !isPointwise(next)) {
    return conv2d(concatConv2d(branches), next.kernel, next.options);
  }
  const spec = ({ kernel, options }: NextConv, info: Conv2DInfo): ConvSpec =>
    ({ kernel: kernel.f32, info, bias: options.bias?.f32 ?? null, activation: options.activation ?? 'linear' });
  const z = getBackend().concatConv2dPointwise(first.x.f32, spec(first, info0), spec(second, info1), spec(next, nextInfo));
  return pooledTensor(z, [nextInfo.batch, nextInfo.outH, nextInfo.outW, nextInfo.outC]);
}
