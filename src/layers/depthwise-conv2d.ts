import { type ActivationName, activate, checkActivation } from '../ops/activations.js';
import { add, mul } from '../ops/arithmetic.js';
import { depthwiseConv2d } from '../ops/depthwise-conv2d.js';
import { checkPadding, outputLength, type Padding, pair } from '../ops/padding.js';
import { reshape } from '../ops/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkInitializer, type InitializerName } from '../models/initializers.js';
import { type CallContext, Layer, type LayerArgs, type LayerConfig, type LayerShape } from '../models/layer.js';
import type { Variable } from '../models/variable.js';
import type { KerasConfig } from './config-reader.js';
import { initializerToKeras, nullEntries } from './keras-names.js';

export interface DepthwiseConv2DArgs extends LayerArgs {
  /** Window size: `3` or `[3, 3]`. */
  kernelSize: number | [number, number];
  /** Filters per input channel; default 1. */
  depthMultiplier?: number;
  /** Step between windows; default 1. */
  strides?: number | [number, number];
  /** 'valid' (default) or 'same'. */
  padding?: Padding;
  /** Applied after the bias; default 'linear'. */
  activation?: ActivationName;
  useBias?: boolean;
  depthwiseInitializer?: string;
  biasInitializer?: string;
}

const NULL_KEYS = ['depthwise_regularizer', 'bias_regularizer', 'activity_regularizer', 'depthwise_constraint', 'bias_constraint'];

export function checkMultiplier(value: number, where: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${where}: depthMultiplier must be a positive integer, got ${value}`);
  return value;
}

/** The window geometry shared by DepthwiseConv2D and SeparableConv2D. */
export function windowOutputShape(inputShape: LayerShape, kernelSize: [number, number], strides: [number, number],
  padding: Padding, channels: number | null, where: string): LayerShape {
  const [batch, h, w] = inputShape;
  const out = (n: number | null | undefined, i: 0 | 1): number | null => outputLength(n, kernelSize[i], strides[i], padding, where);
  return [batch ?? null, out(h, 0), out(w, 1), channels];
}

/**
 * Convolves each input channel with its own `depthMultiplier` filters (no mixing across
 * channels), as Keras's DepthwiseConv2D: kernel `depthwise_kernel` [kh, kw, channels, multiplier].
 */
export class DepthwiseConv2D extends Layer {
  static override readonly initializerKeys = ['depthwise_initializer', 'bias_initializer'];
  readonly kernelSize: [number, number];
  readonly depthMultiplier: number;
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  private readonly depthwiseInitializer: InitializerName;
  private readonly biasInitializer: InitializerName;
  private kernel!: Variable;
  private bias: Variable | null = null;

  constructor(args: DepthwiseConv2DArgs) {
    super('DepthwiseConv2D', args);
    this.kernelSize = pair(args.kernelSize, 'kernelSize', this.name);
    this.depthMultiplier = checkMultiplier(args.depthMultiplier ?? 1, this.name);
    this.strides = pair(args.strides ?? 1, 'strides', this.name);
    this.padding = checkPadding(args.padding ?? 'valid', this.name);
    this.activation = checkActivation(args.activation ?? 'linear', this.name);
    this.useBias = args.useBias ?? true;
    this.depthwiseInitializer = checkInitializer(args.depthwiseInitializer ?? 'glorotUniform', this.name);
    this.biasInitializer = checkInitializer(args.biasInitializer ?? 'zeros', this.name);
  }

  protected override build(inputShape: LayerShape): void {
    const channels = inputShape[3];
    if (inputShape.length !== 4 || !channels) {
      throw new Error(`${this.name} (DepthwiseConv2D): expected input (batch, height, width, channels), got rank ${inputShape.length}`);
    }
    this.kernel = this.addWeight('depthwise_kernel', [...this.kernelSize, channels, this.depthMultiplier], this.depthwiseInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [channels * this.depthMultiplier], this.biasInitializer);
  }

  /**
   * scale·(this layer's output) + shift, per output channel, with the scale folded into the
   * kernel: a batch normalization after a linear depthwise convolution (models/fusion.ts).
   */
  callScaled(x: Tensor, scale: Tensor, shift: Tensor): Tensor {
    this.prepare(x.shape);
    const kernel = this.kernel.value;
    const y = depthwiseConv2d(x, mul(kernel, reshape(scale, kernel.shape.slice(2))), { strides: this.strides, padding: this.padding });
    return add(y, this.bias ? add(mul(this.bias.value, scale), shift) : shift);
  }

  call(x: Tensor, _context: CallContext): Tensor {
    const y = depthwiseConv2d(x, this.kernel.value, { strides: this.strides, padding: this.padding });
    return activate(this.bias ? add(y, this.bias.value) : y, this.activation);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    const c = inputShape[3];
    return windowOutputShape(inputShape, this.kernelSize, this.strides, this.padding,
      c === null || c === undefined ? null : c * this.depthMultiplier, `${this.name} (DepthwiseConv2D)`);
  }

  protected layerConfig(): LayerConfig {
    return {
      kernel_size: this.kernelSize, strides: this.strides, padding: this.padding, depth_multiplier: this.depthMultiplier,
      data_format: 'channels_last', dilation_rate: [1, 1], activation: this.activation, use_bias: this.useBias,
      depthwise_initializer: initializerToKeras(this.depthwiseInitializer), bias_initializer: initializerToKeras(this.biasInitializer),
      ...nullEntries(NULL_KEYS),
    };
  }

  static fromConfig(c: KerasConfig): DepthwiseConv2D {
    c.channelsLast();
    c.pairIs('dilation_rate', 1);
    c.nulls(NULL_KEYS);
    return new DepthwiseConv2D({ ...c.layerArgs(), kernelSize: c.pair('kernel_size'), depthMultiplier: c.num('depth_multiplier', 1),
      strides: c.pair('strides', 1), padding: c.str<Padding>('padding', 'valid'), activation: c.str('activation', 'linear') as ActivationName,
      useBias: c.bool('use_bias', true), depthwiseInitializer: c.initializer('depthwise_initializer', 'glorotUniform'),
      biasInitializer: c.initializer('bias_initializer', 'zeros') });
  }
}
