import type { LayerArgs } from '../models/layer.js';
import { Activation, type ActivationArgs } from './activation.js';
import { BatchNormalization, type BatchNormalizationArgs } from './batch-normalization.js';
import { Conv2D, type Conv2DArgs } from './conv2d.js';
import { Cropping2D, type Cropping2DArgs } from './cropping2d.js';
import { Dense, type DenseArgs } from './dense.js';
import { DepthwiseConv2D, type DepthwiseConv2DArgs } from './depthwise-conv2d.js';
import { Dropout, type DropoutArgs } from './dropout.js';
import { Flatten } from './flatten.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from './global-pooling2d.js';
import { Add, Concatenate, type ConcatenateArgs, Multiply } from './merge.js';
import { Permute, type PermuteArgs } from './permute.js';
import { AveragePooling2D, MaxPooling2D, type Pooling2DArgs } from './pooling2d.js';
import { LeakyReLU, type LeakyReLUArgs, ReLU, type ReLUArgs } from './relu.js';
import { RandomContrast, type RandomContrastArgs } from './random-contrast.js';
import { type FlipMode, RandomFlip, type RandomFlipArgs } from './random-flip.js';
import type { Factor, RandomAffineArgs, RandomLayerArgs } from './random-layer.js';
import { RandomRotation, type RandomRotationArgs } from './random-rotation.js';
import { RandomTranslation, type RandomTranslationArgs } from './random-translation.js';
import { RandomZoom, type RandomZoomArgs } from './random-zoom.js';
import { Rescaling, type RescalingArgs } from './rescaling.js';
import { Reshape, type ReshapeArgs } from './reshape.js';
import { SeparableConv2D, type SeparableConv2DArgs } from './separable-conv2d.js';
import { Softmax, type SoftmaxArgs } from './softmax.js';
import { UpSampling2D, type UpSampling2DArgs } from './up-sampling2d.js';
import { ZeroPadding2D, type ZeroPadding2DArgs } from './zero-padding2d.js';

export {
  Activation, Add, AveragePooling2D, BatchNormalization, Concatenate, Conv2D, Cropping2D, Dense, DepthwiseConv2D, Dropout,
  Flatten, GlobalAveragePooling2D, GlobalMaxPooling2D, LeakyReLU, MaxPooling2D, Multiply, Permute, RandomContrast, RandomFlip,
  RandomRotation, RandomTranslation, RandomZoom, ReLU, Rescaling, Reshape, SeparableConv2D, Softmax, UpSampling2D, ZeroPadding2D,
};
export type {
  ActivationArgs, BatchNormalizationArgs, ConcatenateArgs, Conv2DArgs, Cropping2DArgs, DenseArgs, DepthwiseConv2DArgs,
  DropoutArgs, Factor, FlipMode, LeakyReLUArgs, PermuteArgs, Pooling2DArgs, RandomAffineArgs, RandomContrastArgs,
  RandomFlipArgs, RandomLayerArgs, RandomRotationArgs, RandomTranslationArgs, RandomZoomArgs, ReLUArgs, RescalingArgs,
  ReshapeArgs, SeparableConv2DArgs, SoftmaxArgs, UpSampling2DArgs, ZeroPadding2DArgs,
};

/** Layer factories with Keras's names in camelCase: `layers.conv2d({ filters: 32, kernelSize: 3 })`. */
export const layers = {
  conv2d: (args: Conv2DArgs): Conv2D => new Conv2D(args),
  depthwiseConv2d: (args: DepthwiseConv2DArgs): DepthwiseConv2D => new DepthwiseConv2D(args),
  separableConv2d: (args: SeparableConv2DArgs): SeparableConv2D => new SeparableConv2D(args),
  maxPooling2d: (args?: Pooling2DArgs): MaxPooling2D => new MaxPooling2D(args),
  averagePooling2d: (args?: Pooling2DArgs): AveragePooling2D => new AveragePooling2D(args),
  dense: (args: DenseArgs): Dense => new Dense(args),
  flatten: (args?: LayerArgs): Flatten => new Flatten(args),
  reshape: (args: ReshapeArgs): Reshape => new Reshape(args),
  permute: (args: PermuteArgs): Permute => new Permute(args),
  dropout: (args: DropoutArgs): Dropout => new Dropout(args),
  batchNormalization: (args?: BatchNormalizationArgs): BatchNormalization => new BatchNormalization(args),
  activation: (args: ActivationArgs): Activation => new Activation(args),
  relu: (args?: ReLUArgs): ReLU => new ReLU(args),
  leakyRelu: (args?: LeakyReLUArgs): LeakyReLU => new LeakyReLU(args),
  softmax: (args?: SoftmaxArgs): Softmax => new Softmax(args),
  zeroPadding2d: (args?: ZeroPadding2DArgs): ZeroPadding2D => new ZeroPadding2D(args),
  cropping2d: (args?: Cropping2DArgs): Cropping2D => new Cropping2D(args),
  upSampling2d: (args?: UpSampling2DArgs): UpSampling2D => new UpSampling2D(args),
  globalAveragePooling2d: (args?: LayerArgs): GlobalAveragePooling2D => new GlobalAveragePooling2D(args),
  globalMaxPooling2d: (args?: LayerArgs): GlobalMaxPooling2D => new GlobalMaxPooling2D(args),
  /** Preprocessing inside the model: `layers.rescaling({ scale: 1 / 255 })`. */
  rescaling: (args: RescalingArgs): Rescaling => new Rescaling(args),
  /** Augmentation inside the model, active only in training: `layers.randomFlip({ mode: 'horizontal' })`. */
  randomFlip: (args?: RandomFlipArgs): RandomFlip => new RandomFlip(args),
  randomRotation: (args: RandomRotationArgs): RandomRotation => new RandomRotation(args),
  randomZoom: (args: RandomZoomArgs): RandomZoom => new RandomZoom(args),
  randomTranslation: (args: RandomTranslationArgs): RandomTranslation => new RandomTranslation(args),
  randomContrast: (args: RandomContrastArgs): RandomContrast => new RandomContrast(args),
  /** Merge layer: `layers.concatenate().apply([a, b])` joins along the channel axis. */
  concatenate: (args?: ConcatenateArgs): Concatenate => new Concatenate(args),
  /** Merge layer: `layers.add().apply([a, b])` sums same-shaped inputs. */
  add: (args?: LayerArgs): Add => new Add(args),
  /** Merge layer: `layers.multiply().apply([a, b])` multiplies same-shaped inputs. */
  multiply: (args?: LayerArgs): Multiply => new Multiply(args),
};
