import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { type InitializerName, initialize } from './initializers.js';
import { reserveName, toSnakeCase, uniqueName } from './naming.js';
import { Variable } from './variable.js';

/** A shape with the batch axis first, `null` where it is not known (Keras's None). */
export type LayerShape = readonly (number | null)[];

export interface LayerArgs {
  /** Defaults to the class's snake-case name plus a session counter (`conv2d_1`). */
  name?: string;
  /** Shape of one sample (no batch axis); only meaningful on a model's first layer. */
  inputShape?: readonly number[];
  trainable?: boolean;
}

export interface CallContext {
  /** True inside fit's training step: dropout and augmentation layers are active. */
  training: boolean;
}

/** Keras's JSON layer config: snake_case keys, as written to HDF5 `model_config`. */
export type LayerConfig = Record<string, unknown>;

/**
 * The base of every layer and model. A layer declares its config in the constructor,
 * creates named weights in `build`, and computes in `call`; nothing else.
 */
export abstract class Layer {
  readonly name: string;
  /** Keras class name, as in summaries and HDF5 configs: 'Conv2D', 'Dense', … */
  readonly className: string;
  trainable: boolean;
  private readonly declaredInputShape: LayerShape | null;
  protected readonly ownWeights: Variable[] = [];
  private builtInputShape: LayerShape | null = null;

  constructor(className: string, args: LayerArgs = {}) {
    this.className = className;
    if (args.name !== undefined) reserveName(args.name);
    this.name = args.name ?? uniqueName(toSnakeCase(className));
    this.trainable = args.trainable ?? true;
    if (args.inputShape && args.inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new Error(`${this.name}: inputShape must hold positive integers, got [${args.inputShape.join(', ')}]`);
    }
    this.declaredInputShape = args.inputShape ? [null, ...args.inputShape] : null;
  }

  /** [null, ...inputShape] when the layer was given an input shape. */
  get batchInputShape(): LayerShape | null {
    return this.declaredInputShape;
  }

  get built(): boolean {
    return this.builtInputShape !== null;
  }

  get inputShape(): LayerShape | null {
    return this.builtInputShape;
  }

  /** Creates the weights for inputs of `inputShape`; layers without weights keep this no-op. */
  protected build(_inputShape: LayerShape): void {}

  abstract call(x: Tensor, context: CallContext): Tensor;

  abstract computeOutputShape(inputShape: LayerShape): LayerShape;

  /** The layer-specific part of the Keras config; `getConfig` adds name and trainable. */
  protected abstract layerConfig(): LayerConfig;

  getConfig(): LayerConfig {
    const base: LayerConfig = { name: this.name, trainable: this.trainable };
    if (this.batchInputShape) base.batch_input_shape = [...this.batchInputShape];
    return { ...base, dtype: 'float32', ...this.layerConfig() };
  }

  /** Builds once for `inputShape`; later calls must agree with it. */
  ensureBuilt(inputShape: LayerShape): void {
    if (this.builtInputShape) return;
    this.build(inputShape);
    this.builtInputShape = [...inputShape];
  }

  /** Checks the input against the built shape (batch excluded), builds if needed, then calls. */
  apply(x: Tensor, context: CallContext = { training: false }): Tensor {
    const expected = this.builtInputShape ?? this.batchInputShape;
    if (expected && (expected.length !== x.rank || expected.some((d, i) => i > 0 && d !== null && d !== x.shape[i]))) {
      throw new Error(`${this.name} (${this.className}): expected input of shape ${formatShape(expected)}, ` +
        `got ${formatShape([null, ...x.shape.slice(1)])} (batch of ${x.shape[0]})`);
    }
    this.ensureBuilt([null, ...x.shape.slice(1)]);
    return this.call(x, context);
  }

  protected addWeight(name: string, shape: readonly number[], initializer: InitializerName, trainable = true): Variable {
    const v = new Variable(`${this.name}/${name}:0`, new Tensor(initialize(initializer, shape), shape), trainable);
    this.ownWeights.push(v);
    return v;
  }

  /** Weights that training updates: none when this layer (or, via models, an enclosing one) is frozen. */
  get trainableWeights(): Variable[] {
    return this.trainable ? this.ownWeights.filter((w) => w.trainable) : [];
  }

  get nonTrainableWeights(): Variable[] {
    return this.trainable ? this.ownWeights.filter((w) => !w.trainable) : [...this.ownWeights];
  }

  /** Trainable weights first, then the others, as Keras orders them (and HDF5 stores them). */
  get weights(): Variable[] {
    return [...this.trainableWeights, ...this.nonTrainableWeights];
  }

  countParams(): number {
    return this.weights.reduce((n, w) => n + w.value.size, 0);
  }

  getWeights(): Tensor[] {
    return this.weights.map((w) => w.value);
  }

  /** Overwrites weight values in `weights` order, checking count and shapes. */
  setWeights(values: readonly (Tensor | Float32Array)[]): void {
    const own = this.weights;
    if (values.length !== own.length) {
      throw new Error(`${this.name}: setWeights expected ${own.length} arrays, got ${values.length}`);
    }
    own.forEach((w, i) => w.assign(values[i]!, `${this.name}: weight ${w.name}`));
  }
}
