/**
 * Layers computed together with the convolutions that feed them: a channel concatenation of
 * convolutions, and a max pool or a pointwise convolution of one (ops/concat-conv2d.ts,
 * inference only), a max pool after a convolution (ops/conv2d-max-pool.ts, training too), and
 * a batch normalization using its moving statistics after a linear convolution or depthwise
 * convolution (folded into its kernel and bias). Models find them once.
 */
import { BatchNormalization } from '../layers/batch-normalization.js';
import { Conv2D } from '../layers/conv2d.js';
import { DepthwiseConv2D } from '../layers/depthwise-conv2d.js';
import { Concatenate } from '../layers/merge.js';
import { MaxPooling2D } from '../layers/pooling2d.js';
import { isFused } from '../ops/activations.js';
import { conv2dMaxPool } from '../ops/conv2d-max-pool.js';
import {
  type ConvBranch, concatConv2d, concatConv2dMaxPool, concatConv2dPointwise, isPointwise,
} from '../ops/concat-conv2d.js';
import { reshape } from '../ops/shape.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { CallContext, Layer } from './layer.js';

const fusableConv = (layer: Layer): layer is Conv2D => layer instanceof Conv2D && isFused(layer.activation);

/** A convolution whose output is its kernel's sum alone, so a per-channel affine map folds into it. */
const foldsNormalization = (layer: Layer): layer is Conv2D | DepthwiseConv2D =>
  (layer instanceof Conv2D || layer instanceof DepthwiseConv2D) && layer.activation === 'linear';

/** Whether `layer`, taking the outputs of `producers` (and nothing else reads them), fuses with them. */
export function fusesWith(layer: Layer, producers: readonly Layer[], outputRank: number): boolean {
  if (layer instanceof BatchNormalization) {
    return producers.length === 1 && foldsNormalization(producers[0]!) &&
      normalizeAxis(layer.axis, outputRank, layer.name) === outputRank - 1;
  }
  if (!producers.every(fusableConv)) return false;
  if (layer instanceof MaxPooling2D) return producers.length === 1;
  return layer instanceof Concatenate && producers.length >= 2 &&
    normalizeAxis(layer.axis, outputRank, layer.name) === outputRank - 1;
}

/**
 * Whether `layer` fuses with `joined`, a fused channel concatenation of `convs` (of `inputs`)
 * that it alone reads: a max pool; or a pointwise convolution of two convolutions of one input.
 */
export function readsConcatenation(layer: Layer, joined: Layer, convs: readonly Layer[],
  inputs: readonly unknown[]): boolean {
  if (!(joined instanceof Concatenate)) return false;
  if (layer instanceof MaxPooling2D) return true;
  return fusableConv(layer) && convs.length === 2 && inputs[0] === inputs[1] && isPointwise(layer.fusedConv());
}

/**
 * `layer` applied to the outputs of the convolutions `convs` on `inputs` (one each), in one op;
 * for a max pool or pointwise convolution of several, to their channel concatenation.
 */
export function callFused(layer: Layer, convs: readonly Layer[], inputs: readonly Tensor[], context: CallContext): Tensor {
  if (layer instanceof BatchNormalization) return convBatchNorm(convs[0] as Conv2D | DepthwiseConv2D, layer, inputs[0]!, context);
  const branches = convs.map((conv, i) => (conv as Conv2D).branch(inputs[i]!));
  if (!(layer instanceof MaxPooling2D) && !(layer instanceof Conv2D)) return concatConv2d(branches);
  const shapes = convs.map((conv, i) => conv.computeOutputShape(inputs[i]!.shape));
  const channels = shapes.reduce((sum, shape) => sum + shape[shape.length - 1]!, 0);
  layer.prepare([...shapes[0]!.slice(0, -1), channels]);
  if (layer instanceof Conv2D) return concatConv2dPointwise(branches as [ConvBranch, ConvBranch], layer.fusedConv());
  if (branches.length > 1) return concatConv2dMaxPool(branches, layer.poolOptions);
  const { x, kernel, options } = branches[0]!;
  return conv2dMaxPool(x, kernel, options, layer.poolOptions);
}

/**
 * A convolution and the batch normalization after it. With the moving statistics the
 * normalization is affine per channel, so the convolution takes its scale into its kernel and
 * its offset into its bias (`callScaled`, recorded ops: gradients still reach both layers'
 * weights). With batch statistics they run one after the other.
 */
function convBatchNorm(conv: Conv2D | DepthwiseConv2D, norm: BatchNormalization, x: Tensor, context: CallContext): Tensor {
  if (!norm.usesMovingStatistics(context)) return norm.apply(conv.apply(x, context), context);
  conv.prepare(x.shape);
  norm.prepare(conv.computeOutputShape(x.shape));
  const { scale, offset } = norm.affine();
  return conv.callScaled(x, reshape(scale, [scale.size]), reshape(offset, [offset.size]));
}
