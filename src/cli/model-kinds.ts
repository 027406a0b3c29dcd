import { layers } from '../layers/index.js';
import { sequential } from '../models/factories.js';
import type { Sequential } from '../models/sequential.js';
import { OPTIMIZER_TABLE } from '../optimizers/index.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { resolveName } from '../training/names.js';
import type { ModelKind } from './options.js';
import type { Preprocessing } from './run-folder.js';

/** SqueezeNet's weights were trained on Caffe-style inputs; the lecture's own convnet on 0..1 pixels. */
export function preprocessingOf(kind: ModelKind): Preprocessing {
  return kind.startsWith('squeezenet') ? 'caffe' : 'rescale';
}

/**
 * The lecture's learning rates: 1e-4 for the convnets trained from scratch, 2e-5 for a dense
 * head on pretrained features (and the first phase of fine-tuning).
 */
export function defaultLearningRate(kind: ModelKind): number {
  return kind.startsWith('squeezenet') ? 2e-5 : 1e-4;
}

/** The rate of fine-tuning's second phase: small, so the pretrained filters move only a little. */
export const FINE_TUNE_LEARNING_RATE = 1e-5;

/** An optimizer by its Keras name (any case), with the learning rate set. */
export function makeOptimizer(name: string, learningRate: number): Optimizer {
  return resolveName(name, OPTIMIZER_TABLE, 'optimizer').create({ learningRate });
}

/**
 * The classifier's last layer and loss for `classes` classes: for 2, one sigmoid unit and binary
 * crossentropy, as the lecture; for more, a softmax over them and categorical crossentropy.
 */
export function headFor(classes: number): { units: number; activation: 'sigmoid' | 'softmax'; loss: string } {
  return classes === 2 ? { units: 1, activation: 'sigmoid', loss: 'binary_crossentropy' }
    : { units: classes, activation: 'softmax', loss: 'categorical_crossentropy' };
}

/**
 * The lecture's convnet: four 3×3 ReLU convolutions (32, 64, 128, 128 filters), each followed by
 * a 2×2 max-pool, then flatten → dense 512 ReLU → dense 1 sigmoid (N softmax for N classes).
 * `dropout` adds the lecture's dropout of 0.5 after flatten, used with augmentation against overfitting.
 */
export function lectureConvnet(imageSize: readonly [number, number], dropout: boolean, classes = 2): Sequential {
  const { units, activation } = headFor(classes);
  return sequential([
    layers.conv2d({ filters: 32, kernelSize: [3, 3], activation: 'relu', inputShape: [imageSize[0], imageSize[1], 3] }),
    layers.maxPooling2d({ poolSize: [2, 2] }),
    layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }),
    layers.maxPooling2d({ poolSize: [2, 2] }),
    layers.conv2d({ filters: 128, kernelSize: [3, 3], activation: 'relu' }),
    layers.maxPooling2d({ poolSize: [2, 2] }),
    layers.conv2d({ filters: 128, kernelSize: [3, 3], activation: 'relu' }),
    layers.maxPooling2d({ poolSize: [2, 2] }),
    layers.flatten(),
    ...(dropout ? [layers.dropout({ rate: 0.5 })] : []),
    layers.dense({ units: 512, activation: 'relu' }),
    layers.dense({ units, activation }),
  ]);
}

/** The dense classifier put on top of a pretrained base: dense 256 ReLU → dropout 0.5 → dense 1 sigmoid (N softmax for N classes). */
export function denseHead(features: number, classes = 2): Sequential {
  const { units, activation } = headFor(classes);
  return sequential([
    layers.dense({ units: 256, activation: 'relu', inputShape: [features] }),
    layers.dropout({ rate: 0.5 }),
    layers.dense({ units, activation }),
  ], { name: 'classifier' });
}
