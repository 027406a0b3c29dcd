import { type ActivationName, checkActivation, epilogue, finishActivation } from '../ops/activations.js';
import { dense } from '../ops/matmul.js';
import { reshape } from '../ops/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkInitializer, type InitializerName } from '../models/initializers.js';
import { type CallContext, Layer, type LayerArgs, type LayerConfig, type LayerShape } from '../models/layer.js';
import type { Variable } from '../models/variable.js';
import type { KerasConfig } from './config-reader.js';
import { initializerToKeras, KERNEL_NULL_KEYS, nullEntries } from './keras-names.js';

export interface DenseArgs extends LayerArgs {
  /** Output size. */
  units: number;
  /** Applied after the bias; default 'linear'. */
  activation?: ActivationName;
  useBias?: boolean;
  kernelInitializer?: string;
  biasInitializer?: string;
}

/** Fully connected layer: activation(x · kernel + bias), kernel [in, units], along the last axis of its input. */
export class Dense extends Layer {
  static override readonly initializerKeys = ['kernel_initializer', 'bias_initializer'];
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  private readonly kernelInitializer: InitializerName;
  private readonly biasInitializer: InitializerName;
  private kernel!: Variable;
  private bias: Variable | null = null;

  constructor(args: DenseArgs) {
    super('Dense', args);
    if (!Number.isInteger(args.units) || args.units < 1) {
      throw new Error(`${this.name}: units must be a positive integer, got ${args.units}`);
    }
    this.units = args.units;
    this.activation = checkActivation(args.activation ?? 'linear', this.name);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = checkInitializer(args.kernelInitializer ?? 'glorotUniform', this.name);
    this.biasInitializer = checkInitializer(args.biasInitializer ?? 'zeros', this.name);
  }

  protected override build(inputShape: LayerShape): void {
    const inDim = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || !inDim) {
      throw new Error(`${this.name} (Dense): expected input (batch, …, features) with known features, got ${JSON.stringify(inputShape)}`);
    }
    this.kernel = this.addWeight('kernel', [inDim, this.units], this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], this.biasInitializer);
  }

  call(x: Tensor, _context: CallContext): Tensor {
    // Like Keras, higher-rank inputs are multiplied along their last axis.
    const rows = x.rank === 2 ? x : reshape(x, [-1, x.shape[x.rank - 1]!]);
    const y = finishActivation(dense(rows, this.kernel.value, this.bias?.value ?? null, epilogue(this.activation)), this.activation);
    return x.rank === 2 ? y : reshape(y, [...x.shape.slice(0, -1), this.units]);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  protected layerConfig(): LayerConfig {
    return {
      units: this.units, activation: this.activation, use_bias: this.useBias,
      kernel_initializer: initializerToKeras(this.kernelInitializer), bias_initializer: initializerToKeras(this.biasInitializer),
      ...nullEntries(KERNEL_NULL_KEYS),
    };
  }

  static fromConfig(c: KerasConfig): Dense {
    c.nulls(KERNEL_NULL_KEYS);
    return new Dense({ ...c.layerArgs(), units: c.num('units'), activation: c.str('activation', 'linear') as ActivationName,
      useBias: c.bool('use_bias', true), kernelInitializer: c.initializer('kernel_initializer', 'glorotUniform'),
      biasInitializer: c.initializer('bias_initializer', 'zeros') });
  }
}
