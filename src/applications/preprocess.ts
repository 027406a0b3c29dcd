import { Tensor } from '../tensor/tensor.js';

/** ImageNet channel means in BGR order, as Caffe-trained networks (VGG16, SqueezeNet) expect. */
const BGR_MEAN = [103.939, 116.779, 123.68] as const;

/**
 * Keras's 'caffe' preprocessing for RGB images with values 0..255 in NHWC: reverse the channels
 * to BGR and subtract the ImageNet mean of each; no scaling. RGB (255, 0, 0) → (−103.939, −116.779, 131.32).
 */
export function caffePreprocess(x: Tensor): Tensor {
  if (x.shape[x.rank - 1] !== 3) {
    throw new Error(`preprocessInput: expected RGB images with 3 channels last, got shape [${x.shape.join(', ')}]`);
  }
  const src = x.dtype === 'float32' ? x.f32 : Float32Array.from(x.data);
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i += 3) {
    out[i] = src[i + 2]! - BGR_MEAN[0];
    out[i + 1] = src[i + 1]! - BGR_MEAN[1];
    out[i + 2] = src[i]! - BGR_MEAN[2];
  }
  return new Tensor(out, x.shape);
}
