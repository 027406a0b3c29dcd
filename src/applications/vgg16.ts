import { layers } from '../layers/index.js';
import { Functional } from '../models/functional.js';
import { input } from '../models/input-layer.js';
import type { SymbolicTensor } from '../models/symbolic.js';
import { loadPretrained, type PretrainedOptions, type ReleaseFile, requestedWeights } from './pretrained.js';
import { caffePreprocess } from './preprocess.js';

export interface Vgg16Options extends PretrainedOptions {
  /** Include flatten + fc1 + fc2 + predictions (ImageNet weights then need 224×224×3); default true. */
  includeTop?: boolean;
  /** One image's shape; default [224, 224, 3] with the top, else required here. */
  inputShape?: [number, number, number];
  /** Without the top: 'avg' or 'max' appends global pooling; default none (4-D output). */
  pooling?: 'avg' | 'max' | null;
  /** Classes of the top's softmax; default 1000 (and must be with ImageNet weights). */
  classes?: number;
}

const BLOCKS: [number, number][] = [[2, 64], [2, 128], [3, 256], [3, 512], [3, 512]];

function checkOptions(o: Vgg16Options, shape: [number, number, number]): void {
  const imagenet = requestedWeights(o) === 'imagenet';
  if (imagenet && o.includeTop !== false && (o.classes ?? 1000) !== 1000) {
    throw new Error(`vgg16: ImageNet weights with the top need classes = 1000, got ${o.classes}`);
  }
  if (imagenet && o.includeTop !== false && (shape[0] !== 224 || shape[1] !== 224 || shape[2] !== 3)) {
    throw new Error(`vgg16: ImageNet weights with the top need inputShape [224, 224, 3], got [${shape.join(', ')}]; use includeTop: false for other sizes`);
  }
  if (shape[0] < 32 || shape[1] < 32) throw new Error(`vgg16: input size must be at least 32x32, got ${shape[0]}x${shape[1]}`);
  if (imagenet && shape[2] !== 3) throw new Error(`vgg16: ImageNet weights need 3 input channels, got ${shape[2]}`);
}

/**
 * VGG16 with Keras's layer names (block1_conv1 … block5_pool; fc1, fc2, predictions): 13 same-padded
 * 3×3 ReLU convolutions in 5 blocks, each block ending in a 2×2 max-pool. The base has 14,714,688
 * parameters; at 150×150 it outputs (None, 4, 4, 512). It contains no preprocessing: feed it
 * what its weights expect (`vgg16.preprocessInput` for ImageNet's caffe mode).
 * @example const convBase = await applications.vgg16({ weights: 'imagenet', includeTop: false, inputShape: [150, 150, 3] });
 */
export async function vgg16(options: Vgg16Options = {}): Promise<Functional> {
  const includeTop = options.includeTop ?? true;
  const shape = options.inputShape ?? [224, 224, 3];
  checkOptions(options, shape);
  const x = input({ shape });
  let h: SymbolicTensor = x;
  BLOCKS.forEach(([convs, filters], b) => {
    for (let c = 1; c <= convs; c++) {
      h = layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', name: `block${b + 1}_conv${c}` }).apply(h);
    }
    h = layers.maxPooling2d({ poolSize: 2, strides: 2, name: `block${b + 1}_pool` }).apply(h);
  });
  if (includeTop) {
    h = layers.flatten({ name: 'flatten' }).apply(h);
    h = layers.dense({ units: 4096, activation: 'relu', name: 'fc1' }).apply(h);
    h = layers.dense({ units: 4096, activation: 'relu', name: 'fc2' }).apply(h);
    h = layers.dense({ units: options.classes ?? 1000, activation: 'softmax', name: 'predictions' }).apply(h);
  } else if (options.pooling === 'avg') {
    h = layers.globalAveragePooling2d().apply(h);
  } else if (options.pooling === 'max') {
    h = layers.globalMaxPooling2d().apply(h);
  }
  const model = new Functional({ inputs: x, outputs: h, name: 'vgg16' });
  await loadPretrained(model, options, includeTop ? VGG16_TOP : VGG16_NOTOP);
  return model;
}

/** Keras's release files: where they are published and their md5 (from keras-applications). */
const release = (name: string, md5: string): ReleaseFile =>
  ({ name, md5, url: `https://github.com/fchollet/deep-learning-models/releases/download/v0.1/${name}` });
const VGG16_NOTOP = release('vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5', '6d6bbae143d832006294945121d1f1fc');
const VGG16_TOP = release('vgg16_weights_tf_dim_ordering_tf_kernels.h5', '64373286793e3c8b2b4e3219cbf3544b');

/** VGG16's input preprocessing: Keras's 'caffe' mode (RGB → BGR, minus the ImageNet mean). */
vgg16.preprocessInput = caffePreprocess;
