import { type ActivationName, checkActivation, epilogue, finishActivation, isFused } from '../ops/activations.js';
import { add, mul } from '../ops/arithmetic.js';
import { conv2d } from '../ops/conv2d.js';
import type { ConvBranch, NextConv } from '../ops/concat-conv2d.js';
import { checkPadding, outputLength, type Padding, pair } from '../ops/padding.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkInitializer, type InitializerName } from '../models/initializers.js';
import { type CallContext, Layer, type LayerArgs, type LayerConfig, type LayerShape } from '../models/layer.js';
import type { Variable } from '../models/variable.js';
import type { KerasConfig } from './config-reader.js';
import { initializerToKeras, KERNEL_NULL_KEYS, nullEntries } from './keras-names.js';

export interface Conv2DArgs extends LayerArgs {
  /** Number of output channels. */
  filters: number;
  /** Window size: `3` or `[3, 3]`. */
  kernelSize: number | [number, number];
  /** Step between windows; default 1. */
  strides?: number | [number, number];
  /** 'valid' (no padding, default) or 'same' (TF's rule: output = ceil(input / stride)). */
  padding?: Padding;
  /** Applied after the bias; default 'linear'. */
  activation?: ActivationName;
  useBias?: boolean;
  kernelInitializer?: string;
  biasInitializer?: string;
}

/** 2-D convolution over NHWC images with a [kh, kw, in, filters] kernel, as Keras's Conv2D. */
export class Conv2D extends Layer {
  static override readonly initializerKeys = ['kernel_initializer', 'bias_initializer'];
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  private readonly kernelInitializer: InitializerName;
  private readonly biasInitializer: InitializerName;
  private kernel!: Variable;
  private bias: Variable | null = null;

  constructor(args: Conv2DArgs) {
    super('Conv2D', args);
    if (!Number.isInteger(args.filters) || args.filters < 1) {
      throw new Error(`${this.name}: filters must be a positive integer, got ${args.filters}`);
    }
    this.filters = args.filters;
    this.kernelSize = pair(args.kernelSize, 'kernelSize', this.name);
    this.strides = pair(args.strides ?? 1, 'strides', this.name);
    this.padding = checkPadding(args.padding ?? 'valid', this.name);
    this.activation = checkActivation(args.activation ?? 'linear', this.name);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = checkInitializer(args.kernelInitializer ?? 'glorotUniform', this.name);
    this.biasInitializer = checkInitializer(args.biasInitializer ?? 'zeros', this.name);
  }

  protected override build(inputShape: LayerShape): void {
    const channels = inputShape[3];
    if (inputShape.length !== 4 || !channels) {
      throw new Error(`${this.name} (Conv2D): expected input (batch, height, width, channels), got rank ${inputShape.length}`);
    }
    this.kernel = this.addWeight('kernel', [...this.kernelSize, channels, this.filters], this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInitializer);
  }

  /** This layer's convolution of x, for an op that fuses it with the next layer (models/fusion.ts). */
  branch(x: Tensor): ConvBranch {
    this.prepare(x.shape);
    return { x, ...this.fusedConv() };
  }

  /** Its kernel and options, for an op that computes its input too; `prepare` first. */
  fusedConv(): NextConv {
    if (!isFused(this.activation)) throw new Error(`${this.name}: a ${this.activation} convolution cannot be fused`);
    return { kernel: this.kernel.value, options: { strides: this.strides, padding: this.padding,
      bias: this.bias?.value ?? null, activation: epilogue(this.activation) } };
  }

  /**
   * scale·(this layer's output) + shift, per output channel ([filters] each), with the scale
   * folded into the kernel: a batch normalization after a linear convolution (models/fusion.ts).
   */
  callScaled(x: Tensor, scale: Tensor, shift: Tensor): Tensor {
    this.prepare(x.shape);
    const bias = this.bias ? add(mul(this.bias.value, scale), shift) : shift;
    return conv2d(x, mul(this.kernel.value, scale), { strides: this.strides, padding: this.padding, bias });
  }

  call(x: Tensor, _context: CallContext): Tensor {
    const y = conv2d(x, this.kernel.value, { strides: this.strides, padding: this.padding,
      bias: this.bias?.value ?? null, activation: epilogue(this.activation) });
    return finishActivation(y, this.activation);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    const [batch, h, w] = inputShape;
    const out = (n: number | null | undefined, i: 0 | 1): number | null =>
      outputLength(n, this.kernelSize[i], this.strides[i], this.padding, `${this.name} (Conv2D)`);
    return [batch ?? null, out(h, 0), out(w, 1), this.filters];
  }

  protected layerConfig(): LayerConfig {
    return {
      filters: this.filters, kernel_size: this.kernelSize, strides: this.strides, padding: this.padding,
      data_format: 'channels_last', dilation_rate: [1, 1], activation: this.activation, use_bias: this.useBias,
      kernel_initializer: initializerToKeras(this.kernelInitializer), bias_initializer: initializerToKeras(this.biasInitializer),
      ...nullEntries(KERNEL_NULL_KEYS),
    };
  }

  static fromConfig(c: KerasConfig): Conv2D {
    c.channelsLast();
    c.pairIs('dilation_rate', 1);
    c.oneOf('groups', [undefined, 1]);
    c.nulls(KERNEL_NULL_KEYS);
    return new Conv2D({ ...c.layerArgs(), filters: c.num('filters'), kernelSize: c.pair('kernel_size'),
      strides: c.pair('strides', 1), padding: c.str<Padding>('padding', 'valid'), activation: c.str('activation', 'linear') as ActivationName,
      useBias: c.bool('use_bias', true), kernelInitializer: c.initializer('kernel_initializer', 'glorotUniform'),
      biasInitializer: c.initializer('bias_initializer', 'zeros') });
  }
}

