/**
 * maxPool2d(conv2d(x, kernel, conv), pool) in one op: every block of the lecture's convnet and
 * of VGG16 ends so. The convolution's output (56 MB for model A's first layer at batch 20) is
 * never stored: each few rows are pooled while still in cache. Recording gradients, the forward
 * also notes which window cell each pooled value came from, one byte per value, and that is all
 * backward needs: the gradient reaches those cells alone, without the convolution's output to
 * search again, and the kernel's gradient of a first layer is summed over them directly.
 */
import { isRecording, record } from '../autograd/tape.js';
import { MAX_WINDOW_CELLS } from '../backend/backend.js';
import { getBackend } from '../backend/index.js';
import { pooledTensor } from '../tensor/create.js';
import { sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { type Conv2DOptions, conv2d, convInfoFor } from './conv2d.js';
import { maxPool2d, type Pool2DOptions, pool2dInfo } from './pool2d.js';

export function conv2dMaxPool(x: Tensor, kernel: Tensor, conv: Conv2DOptions, pool: Pool2DOptions): Tensor {
  const info = convInfoFor(x.shape, kernel, conv, 'conv2dMaxPool');
  const poolInfo = pool2dInfo([info.batch, info.outH, info.outW, info.outC], pool, 'conv2dMaxPool');
  const bias = conv.bias ?? null;
  const activation = conv.activation ?? 'linear';
  const inputs = bias ? [x, kernel, bias] : [x, kernel];
  const training = isRecording() && inputs.some((t) => t.requiresGrad);
  if (training && poolInfo.poolH * poolInfo.poolW > MAX_WINDOW_CELLS) return maxPool2d(conv2d(x, kernel, conv), pool);

  const backend = getBackend();
  const shape = [poolInfo.batch, poolInfo.outH, poolInfo.outW, poolInfo.channels];
  const size = sizeOf(shape);
  // Bytes, kept in pooled float storage so that the step recycles them with its other buffers.
  const store = training ? pooledTensor(backend.alloc(Math.ceil(size / 4)), [Math.ceil(size / 4)]) : null;
  const winners = store ? new Uint8Array(store.f32.buffer, store.f32.byteOffset, size) : undefined;
  const pooled = backend.conv2dMaxPool(x.f32, kernel.f32, info, bias?.f32 ?? null, activation, poolInfo, winners);
  const y = pooledTensor(pooled, shape);
  if (!winners) return y;
  return record(y, 'conv2dMaxPool', inputs, (dy) => {
    // The activation's derivative and the bias's gradient come from the pooled output and its
    // gradient, a quarter of the convolution's size, in the same kernel call.
    const { dx, dkernel, dbias } = backend.conv2dMaxPoolBackward(x.f32, kernel.f32, y.f32, activation, dy.f32, winners,
      info, poolInfo, x.requiresGrad, bias !== null);
    const grads = [dx ? pooledTensor(dx, x.shape) : null, pooledTensor(dkernel, kernel.shape)];
    return bias && dbias ? [...grads, pooledTensor(dbias, bias.shape)] : grads;
  });
}
