import { Activation, type ActivationArgs } from './activation.js';
import { BatchNormalization, type BatchNormalizationArgs } from './batch-normalization.js';
import { Conv2D, type Conv2DArgs } from './conv2d.js';
import { Dense, type DenseArgs } from './dense.js';
import { Dropout, type DropoutArgs } from './dropout.js';
import { Flatten } from './flatten.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from './global-pooling2d.js';
import type { LayerArgs } from '../models/layer.js';
import { AveragePooling2D, MaxPooling2D, type Pooling2DArgs } from './pooling2d.js';
import { Add, Concatenate, type ConcatenateArgs } from './merge.js';

export { Activation, Add, AveragePooling2D, BatchNormalization, Concatenate, Conv2D, Dense, Dropout, Flatten, GlobalAveragePooling2D, GlobalMaxPooling2D, MaxPooling2D };
export type { ActivationArgs, BatchNormalizationArgs, ConcatenateArgs, Conv2DArgs, DenseArgs, DropoutArgs, Pooling2DArgs };

/** Layer factories with Keras's names in camelCase: `layers.conv2d({ filters: 32, kernelSize: 3 })`. */
export const layers = {
  conv2d: (args: Conv2DArgs): Conv2D => new Conv2D(args),
  maxPooling2d: (args?: Pooling2DArgs): MaxPooling2D => new MaxPooling2D(args),
  averagePooling2d: (args?: Pooling2DArgs): AveragePooling2D => new AveragePooling2D(args),
  dense: (args: DenseArgs): Dense => new Dense(args),
  flatten: (args?: LayerArgs): Flatten => new Flatten(args),
  dropout: (args: DropoutArgs): Dropout => new Dropout(args),
  activation: (args: ActivationArgs): Activation => new Activation(args),
  globalAveragePooling2d: (args?: LayerArgs): GlobalAveragePooling2D => new GlobalAveragePooling2D(args),
  globalMaxPooling2d: (args?: LayerArgs): GlobalMaxPooling2D => new GlobalMaxPooling2D(args),
  /** Merge layer: `layers.concatenate().apply([a, b])` joins along the channel axis. */
  concatenate: (args?: ConcatenateArgs): Concatenate => new Concatenate(args),
  batchNormalization: (args?: BatchNormalizationArgs): BatchNormalization => new BatchNormalization(args),
  /** Merge layer: `layers.add().apply([a, b])` sums same-shaped inputs. */
  add: (args?: LayerArgs): Add => new Add(args),
};
