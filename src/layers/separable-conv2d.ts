import { type ActivationName, checkActivation, epilogue, finishActivation } from '../ops/activations.js';
import { conv2d } from '../ops/conv2d.js';
import { depthwiseConv2d } from '../ops/depthwise-conv2d.js';
import { checkPadding, type Padding, pair } from '../ops/padding.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkInitializer, type InitializerName } from '../models/initializers.js';
import { type CallContext, Layer, type LayerArgs, type LayerConfig, type LayerShape } from '../models/layer.js';
import type { Variable } from '../models/variable.js';
import type { KerasConfig } from './config-reader.js';
import { checkMultiplier, windowOutputShape } from './depthwise-conv2d.js';
import { initializerToKeras, nullEntries } from './keras-names.js';

export interface SeparableConv2DArgs extends LayerArgs {
  /** Output channels of the pointwise step. */
  filters: number;
  /** Window of the depthwise step: `3` or `[3, 3]`. */
  kernelSize: number | [number, number];
  /** Depthwise filters per input channel; default 1. */
  depthMultiplier?: number;
  strides?: number | [number, number];
  padding?: Padding;
  /** Applied after the bias; default 'linear'. */
  activation?: ActivationName;
  useBias?: boolean;
  depthwiseInitializer?: string;
  pointwiseInitializer?: string;
  biasInitializer?: string;
}

const NULL_KEYS = ['depthwise_regularizer', 'pointwise_regularizer', 'bias_regularizer', 'activity_regularizer',
  'depthwise_constraint', 'pointwise_constraint', 'bias_constraint'];

/**
 * A depthwise convolution then a 1×1 convolution mixing the channels (Xception's building
 * block), as Keras's SeparableConv2D: weights depthwise_kernel [kh, kw, in, multiplier],
 * pointwise_kernel [1, 1, in·multiplier, filters], bias [filters].
 */
export class SeparableConv2D extends Layer {
  static override readonly initializerKeys = ['depthwise_initializer', 'pointwise_initializer', 'bias_initializer'];
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly depthMultiplier: number;
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  private readonly initializers: { depthwise: InitializerName; pointwise: InitializerName; bias: InitializerName };
  private depthwise!: Variable;
  private pointwise!: Variable;
  private bias: Variable | null = null;

  constructor(args: SeparableConv2DArgs) {
    super('SeparableConv2D', args);
    if (!Number.isInteger(args.filters) || args.filters < 1) throw new Error(`${this.name}: filters must be a positive integer, got ${args.filters}`);
    this.filters = args.filters;
    this.kernelSize = pair(args.kernelSize, 'kernelSize', this.name);
    this.depthMultiplier = checkMultiplier(args.depthMultiplier ?? 1, this.name);
    this.strides = pair(args.strides ?? 1, 'strides', this.name);
    this.padding = checkPadding(args.padding ?? 'valid', this.name);
    this.activation = checkActivation(args.activation ?? 'linear', this.name);
    this.useBias = args.useBias ?? true;
    this.initializers = {
      depthwise: checkInitializer(args.depthwiseInitializer ?? 'glorotUniform', this.name),
      pointwise: checkInitializer(args.pointwiseInitializer ?? 'glorotUniform', this.name),
      bias: checkInitializer(args.biasInitializer ?? 'zeros', this.name),
    };
  }

  protected override build(inputShape: LayerShape): void {
    const channels = inputShape[3];
    if (inputShape.length !== 4 || !channels) {
      throw new Error(`${this.name} (SeparableConv2D): expected input (batch, height, width, channels), got rank ${inputShape.length}`);
    }
    const inner = channels * this.depthMultiplier;
    this.depthwise = this.addWeight('depthwise_kernel', [...this.kernelSize, channels, this.depthMultiplier], this.initializers.depthwise);
    this.pointwise = this.addWeight('pointwise_kernel', [1, 1, inner, this.filters], this.initializers.pointwise);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.initializers.bias);
  }

  call(x: Tensor, _context: CallContext): Tensor {
    const mixed = depthwiseConv2d(x, this.depthwise.value, { strides: this.strides, padding: this.padding });
    const y = conv2d(mixed, this.pointwise.value, { bias: this.bias?.value ?? null, activation: epilogue(this.activation) });
    return finishActivation(y, this.activation);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return windowOutputShape(inputShape, this.kernelSize, this.strides, this.padding, this.filters, `${this.name} (SeparableConv2D)`);
  }

  protected layerConfig(): LayerConfig {
    return {
      filters: this.filters, kernel_size: this.kernelSize, strides: this.strides, padding: this.padding,
      data_format: 'channels_last', dilation_rate: [1, 1], depth_multiplier: this.depthMultiplier,
      activation: this.activation, use_bias: this.useBias,
      depthwise_initializer: initializerToKeras(this.initializers.depthwise),
      pointwise_initializer: initializerToKeras(this.initializers.pointwise),
      bias_initializer: initializerToKeras(this.initializers.bias),
      ...nullEntries(NULL_KEYS),
    };
  }

  static fromConfig(c: KerasConfig): SeparableConv2D {
    c.channelsLast();
    c.pairIs('dilation_rate', 1);
    c.nulls(NULL_KEYS);
    return new SeparableConv2D({ ...c.layerArgs(), filters: c.num('filters'), kernelSize: c.pair('kernel_size'),
      depthMultiplier: c.num('depth_multiplier', 1), strides: c.pair('strides', 1), padding: c.str<Padding>('padding', 'valid'),
      activation: c.str('activation', 'linear') as ActivationName, useBias: c.bool('use_bias', true),
      depthwiseInitializer: c.initializer('depthwise_initializer', 'glorotUniform'),
      pointwiseInitializer: c.initializer('pointwise_initializer', 'glorotUniform'),
      biasInitializer: c.initializer('bias_initializer', 'zeros') });
  }
}
