import { layers } from '../layers/index.js';
import { Functional } from '../models/functional.js';
import { input } from '../models/input-layer.js';
import type { SymbolicTensor } from '../models/symbolic.js';
import { loadPretrained, type PretrainedOptions, requestedWeights } from './pretrained.js';
import { caffePreprocess } from './preprocess.js';

export interface SqueezenetOptions extends PretrainedOptions {
  /** conv10 + global average + softmax; only the base has pretrained weights, so this needs `weights: null` or a file. Default false. */
  includeTop?: boolean;
  /** One image's shape; default [227, 227, 3]. Each side must be at least 48. */
  inputShape?: [number, number, number];
  /** 'avg' or 'max' appends global pooling (a 512-d feature); default none (4-D output). */
  pooling?: 'avg' | 'max' | null;
  /** Classes of the top (conv10 + global average + softmax); default 1000. */
  classes?: number;
}

/**
 * A fire module: a 1×1 "squeeze" convolution feeding parallel 1×1 and 3×3 "expand"
 * convolutions whose outputs are concatenated on the channel axis. The ReLUs ride in the
 * convolutions' epilogues; names follow the pretrained file (fire2/squeeze1x1, …).
 */
function fire(x: SymbolicTensor, id: number, squeeze: number, expand: number): SymbolicTensor {
  const s = layers.conv2d({ filters: squeeze, kernelSize: 1, activation: 'relu', name: `fire${id}/squeeze1x1` }).apply(x);
  const left = layers.conv2d({ filters: expand, kernelSize: 1, activation: 'relu', name: `fire${id}/expand1x1` }).apply(s);
  const right = layers.conv2d({ filters: expand, kernelSize: 3, padding: 'same', activation: 'relu', name: `fire${id}/expand3x3` }).apply(s);
  return layers.concatenate({ axis: -1, name: `fire${id}/concat` }).apply([left, right]);
}

const pool = (x: SymbolicTensor, name: string): SymbolicTensor =>
  layers.maxPooling2d({ poolSize: 3, strides: 2, name }).apply(x);

/**
 * SqueezeNet 1.1 (722,496 base parameters): conv1 3×3/2 → pool → fire2, fire3 → pool → fire4,
 * fire5 → pool → fire6 … fire9 → dropout. Its ImageNet weights expect `squeezenet.preprocessInput`
 * (caffe mode: BGR minus the ImageNet mean, no scaling).
 * @example const base = await applications.squeezenet({ weights: 'imagenet', inputShape: [150, 150, 3], pooling: 'avg' });
 */
export async function squeezenet(options: SqueezenetOptions = {}): Promise<Functional> {
  const shape = options.inputShape ?? [227, 227, 3];
  if (shape[0] < 48 || shape[1] < 48) throw new Error(`squeezenet: input size must be at least 48x48, got ${shape[0]}x${shape[1]}`);
  const imagenet = requestedWeights(options) === 'imagenet';
  if (imagenet && shape[2] !== 3) throw new Error(`squeezenet: ImageNet weights need 3 input channels, got ${shape[2]}`);
  if (imagenet && options.includeTop) {
    throw new Error("squeezenet: only the base's ImageNet weights exist (no conv10); use includeTop: false, or weights: null for a random top");
  }
  const x = input({ shape });
  let h = layers.conv2d({ filters: 64, kernelSize: 3, strides: 2, activation: 'relu', name: 'conv1' }).apply(x);
  h = pool(h, 'pool1');
  h = fire(fire(h, 2, 16, 64), 3, 16, 64);
  h = pool(h, 'pool3');
  h = fire(fire(h, 4, 32, 128), 5, 32, 128);
  h = pool(h, 'pool5');
  h = fire(fire(fire(fire(h, 6, 48, 192), 7, 48, 192), 8, 64, 256), 9, 64, 256);
  h = layers.dropout({ rate: 0.5, name: 'drop9' }).apply(h);
  if (options.includeTop) {
    h = layers.conv2d({ filters: options.classes ?? 1000, kernelSize: 1, activation: 'relu', name: 'conv10' }).apply(h);
    h = layers.globalAveragePooling2d({ name: 'avgpool10' }).apply(h);
    h = layers.activation({ activation: 'softmax', name: 'loss' }).apply(h);
  } else if (options.pooling === 'avg') {
    h = layers.globalAveragePooling2d().apply(h);
  } else if (options.pooling === 'max') {
    h = layers.globalMaxPooling2d().apply(h);
  }
  const model = new Functional({ inputs: x, outputs: h, name: 'squeezenet' });
  await loadPretrained(model, options, SQUEEZENET_NOTOP);
  return model;
}

/** The converted Caffe weights published with keras-squeezenet (md5 from its source); the package ships them in models/. */
const SQUEEZENET_NOTOP = {
  name: 'squeezenet_weights_tf_dim_ordering_tf_kernels_notop.h5',
  shipped: true,
  url: 'https://github.com/rcmalli/keras-squeezenet/releases/download/v1.0/squeezenet_weights_tf_dim_ordering_tf_kernels_notop.h5',
  md5: '80b66c92d79d4310e07fb60a297bf0d1',
};

/** SqueezeNet's input preprocessing: caffe mode, as its Caffe-trained weights expect. */
squeezenet.preprocessInput = caffePreprocess;
