import type { Layer, LayerConfig } from '../models/layer.js';
import { Activation } from './activation.js';
import { BatchNormalization } from './batch-normalization.js';
import { KerasConfig } from './config-reader.js';
import { Conv2D } from './conv2d.js';
import { Cropping2D } from './cropping2d.js';
import { Dense } from './dense.js';
import { DepthwiseConv2D } from './depthwise-conv2d.js';
import { Dropout } from './dropout.js';
import { Flatten } from './flatten.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from './global-pooling2d.js';
import { Add, Concatenate, Multiply } from './merge.js';
import { Permute } from './permute.js';
import { AveragePooling2D, MaxPooling2D } from './pooling2d.js';
import { LeakyReLU, ReLU } from './relu.js';
import { RandomContrast } from './random-contrast.js';
import { RandomFlip } from './random-flip.js';
import { RandomRotation } from './random-rotation.js';
import { RandomTranslation } from './random-translation.js';
import { RandomZoom } from './random-zoom.js';
import { Rescaling } from './rescaling.js';
import { Reshape } from './reshape.js';
import { SeparableConv2D } from './separable-conv2d.js';
import { Softmax } from './softmax.js';
import { UpSampling2D } from './up-sampling2d.js';
import { ZeroPadding2D } from './zero-padding2d.js';

/** A layer class as loading sees it: it builds itself from its Keras config. */
export interface LayerClass {
  fromConfig(config: KerasConfig): Layer;
}

/**
 * Keras class name → layer class: the closed list of layers a saved model may contain. Loading
 * looks classes up here and nowhere else, so a file cannot make us run code (there is no Lambda
 * layer). Each class reads and writes its own config.
 */
export const LAYER_CLASSES: Readonly<Record<string, LayerClass>> = {
  Activation, Add, AveragePooling2D, BatchNormalization, Concatenate, Conv2D, Cropping2D, Dense, DepthwiseConv2D,
  Dropout, Flatten, GlobalAveragePooling2D, GlobalMaxPooling2D, LeakyReLU, MaxPooling2D, Multiply, Permute, RandomContrast,
  RandomFlip, RandomRotation, RandomTranslation, RandomZoom, ReLU, Rescaling, Reshape, SeparableConv2D, Softmax,
  UpSampling2D, ZeroPadding2D,
};

/** The layer for a `{class_name, config}` entry; an unknown class is an error listing the known ones. */
export function layerFromConfig(className: string, config: LayerConfig, where: string): Layer {
  const layerClass = Object.hasOwn(LAYER_CLASSES, className) ? LAYER_CLASSES[className] : undefined;
  if (!layerClass) {
    throw new Error(`${where}: unknown layer class '${className}'; deeptype can load ${Object.keys(LAYER_CLASSES).join(', ')}`);
  }
  try {
    return layerClass.fromConfig(new KerasConfig(config, `${where} (${className})`));
  } catch (e) {
    const message = (e as Error).message;
    throw new Error(message.startsWith(where) ? message : `${where} (${className}): ${message}`);
  }
}
