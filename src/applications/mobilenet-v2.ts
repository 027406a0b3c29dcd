import { layers } from '../layers/index.js';
import { Functional } from '../models/functional.js';
import { input } from '../models/input-layer.js';
import type { SymbolicTensor } from '../models/symbolic.js';
import type { MarginsArg } from '../ops/spatial.js';
import { Tensor } from '../tensor/tensor.js';
import { loadPretrained, type PretrainedOptions, type ReleaseFile, requestedWeights } from './pretrained.js';

export interface MobileNetV2Options extends PretrainedOptions {
  /** Include global average pooling and the `predictions` dense softmax; default true. */
  includeTop?: boolean;
  /** One image's shape; default [224, 224, 3]. */
  inputShape?: [number, number, number];
  /** Without the top: 'avg' or 'max' appends global pooling; default none (4-D output). */
  pooling?: 'avg' | 'max' | null;
  /** Classes of the top's softmax; default 1000 (and must be with ImageNet weights). */
  classes?: number;
}

/** The inverted residual blocks: [output channels, stride, expansion], block_0 … block_16. */
const BLOCKS: [number, 1 | 2, number][] = [
  [16, 1, 1], [24, 2, 6], [24, 1, 6], [32, 2, 6], [32, 1, 6], [32, 1, 6], [64, 2, 6], [64, 1, 6], [64, 1, 6], [64, 1, 6],
  [96, 1, 6], [96, 1, 6], [96, 1, 6], [160, 2, 6], [160, 1, 6], [160, 1, 6], [320, 1, 6],
];

/** Keras's batch normalization settings in MobileNetV2. */
const BN = { epsilon: 1e-3, momentum: 0.999 };

/** The image sizes Keras publishes weights for; other sizes load the 224 ones, as Keras does. */
const WEIGHT_SIZES = [96, 128, 160, 192, 224];

/**
 * Zero padding before a stride-2 3×3 depthwise convolution, as Keras's `correct_pad`: one row
 * and column after, and one before too when the side is odd.
 */
function correctPad(shape: readonly (number | null)[]): MarginsArg {
  const before = (n: number | null | undefined): number => (n === null || n === undefined ? 0 : n % 2);
  return [[before(shape[1]), 1], [before(shape[2]), 1]];
}

/** 1×1 convolution without bias, batch normalization, and ReLU6 unless `relu` is false. */
function pointwise(h: SymbolicTensor, filters: number, name: string, bnName: string, reluName: string | null): SymbolicTensor {
  h = layers.conv2d({ filters, kernelSize: 1, padding: 'same', useBias: false, name }).apply(h);
  h = layers.batchNormalization({ ...BN, name: bnName }).apply(h);
  return reluName === null ? h : layers.relu({ maxValue: 6, name: reluName }).apply(h);
}

/** Expand (1×1), depthwise 3×3, project (1×1), plus the input when the shapes allow: Keras's `_inverted_res_block`. */
function invertedResidual(x: SymbolicTensor, [filters, stride, expansion]: [number, 1 | 2, number], id: number): SymbolicTensor {
  const inChannels = x.shape[3]!;
  const prefix = id === 0 ? 'expanded_conv_' : `block_${id}_`;
  let h = id === 0 ? x : pointwise(x, expansion * inChannels, `${prefix}expand`, `${prefix}expand_BN`, `${prefix}expand_relu`);
  if (stride === 2) h = layers.zeroPadding2d({ padding: correctPad(h.shape), name: `${prefix}pad` }).apply(h);
  h = layers.depthwiseConv2d({ kernelSize: 3, strides: stride, useBias: false, padding: stride === 1 ? 'same' : 'valid',
    name: `${prefix}depthwise` }).apply(h);
  h = layers.batchNormalization({ ...BN, name: `${prefix}depthwise_BN` }).apply(h);
  h = layers.relu({ maxValue: 6, name: `${prefix}depthwise_relu` }).apply(h);
  h = pointwise(h, filters, `${prefix}project`, `${prefix}project_BN`, null);
  return inChannels === filters && stride === 1 ? layers.add({ name: `${prefix}add` }).apply([x, h]) : h;
}

/**
 * MobileNetV2 (alpha 1.0) with Keras's layer names (Conv1, bn_Conv1, expanded_conv_*,
 * block_1_expand … block_16_project_BN, Conv_1, out_relu): 17 inverted residual blocks of
 * depthwise-separable convolutions with batch normalization and ReLU6. Without the top it has
 * 2,257,984 parameters (34,112 of them the non-trainable moving statistics) and outputs
 * (None, 7, 7, 1280) at 224×224. Feed it images scaled to [−1, 1] (`mobilenetV2.preprocessInput`).
 * @example const base = await applications.mobilenetV2({ includeTop: false, inputShape: [160, 160, 3] });
 */
export async function mobilenetV2(options: MobileNetV2Options = {}): Promise<Functional> {
  const includeTop = options.includeTop ?? true;
  const shape = options.inputShape ?? [224, 224, 3];
  const imagenet = requestedWeights(options) === 'imagenet';
  if (imagenet && includeTop && (options.classes ?? 1000) !== 1000) {
    throw new Error(`mobilenetV2: ImageNet weights with the top need classes = 1000, got ${options.classes}`);
  }
  if (imagenet && shape[2] !== 3) throw new Error(`mobilenetV2: ImageNet weights need 3 input channels, got ${shape[2]}`);
  if (shape[0] < 32 || shape[1] < 32) throw new Error(`mobilenetV2: input size must be at least 32x32, got ${shape[0]}x${shape[1]}`);
  const x = input({ shape });
  let h = layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'Conv1' }).apply(x);
  h = layers.batchNormalization({ ...BN, name: 'bn_Conv1' }).apply(h);
  h = layers.relu({ maxValue: 6, name: 'Conv1_relu' }).apply(h);
  BLOCKS.forEach((block, id) => (h = invertedResidual(h, block, id)));
  h = pointwise(h, 1280, 'Conv_1', 'Conv_1_bn', 'out_relu');
  if (includeTop) {
    h = layers.globalAveragePooling2d().apply(h);
    h = layers.dense({ units: options.classes ?? 1000, activation: 'softmax', name: 'predictions' }).apply(h);
  } else if (options.pooling === 'avg') {
    h = layers.globalAveragePooling2d().apply(h);
  } else if (options.pooling === 'max') {
    h = layers.globalMaxPooling2d().apply(h);
  }
  const rows = shape[0] === shape[1] && WEIGHT_SIZES.includes(shape[0]) ? shape[0] : 224;
  const model = new Functional({ inputs: x, outputs: h, name: `mobilenetv2_1.00_${rows}` });
  await loadPretrained(model, options, weightsFile(rows, includeTop));
  return model;
}

/**
 * Keras's published file for an image size, with and without the top. Keras gives no hash for
 * these files, so only their names and addresses are known; loading by name checks every shape.
 */
function weightsFile(rows: number, includeTop: boolean): ReleaseFile {
  const name = `mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_${rows}${includeTop ? '' : '_no_top'}.h5`;
  return { name, md5: null, url: `https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/${name}` };
}

/** MobileNetV2's preprocessing, Keras's 'tf' mode: pixels 0..255 → x / 127.5 − 1. */
mobilenetV2.preprocessInput = (x: Tensor): Tensor => new Tensor(Float32Array.from(x.data, (v) => v / 127.5 - 1), x.shape);
