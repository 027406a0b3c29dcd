import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { type InitializerName, initialize } from './initializers.js';
import { reserveName, toSnakeCase, uniqueName } from './naming.js';
import { Variable } from './variable.js';
import { checkNewWeight } from './weight-budget.js';
import { type GraphNode, SymbolicTensor } from './symbolic.js';

/** A shape with the batch axis first, `null` where it is not known (Keras's None). */
export type LayerShape = readonly (number | null)[];

export interface LayerArgs {
  /** Defaults to the class's snake-case name plus a session counter (`conv2d_1`). */
  name?: string;
  /** Shape of one sample (no batch axis); only meaningful on a model's first layer. */
  inputShape?: readonly number[];
  trainable?: boolean;
  /** Prefix of the automatic name, when it is not the class's snake case (InputLayer → input). */
  nameCounter?: string;
}

export interface CallContext {
  /** True inside fit's training step: dropout and augmentation layers are active. */
  training: boolean;
  /**
   * True inside a frozen layer or model: batch normalization then uses its moving statistics
   * even while training, as Keras ≥ 2.1.3 does for fine-tuning. Set by `apply`.
   */
  frozen?: boolean;
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
  /** Applications of this layer in functional graphs, in order. */
  readonly inboundNodes: GraphNode[] = [];
  /** The symbolic output of each application, in `inboundNodes` order. */
  private readonly nodeOutputs: SymbolicTensor[] = [];
  private builtInputShape: LayerShape | null = null;

  /**
   * The config keys that hold initializers (`kernel_initializer`, …), declared by each class
   * for writers that respell them (the K22 profile writes VarianceScaling).
   */
  static readonly initializerKeys: readonly string[] = [];

  constructor(className: string, args: LayerArgs = {}) {
    this.className = className;
    if (args.name !== undefined) reserveName(args.name);
    this.name = args.name ?? uniqueName(args.nameCounter ?? toSnakeCase(className));
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

  get initializerKeys(): readonly string[] {
    return (this.constructor as typeof Layer).initializerKeys;
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

  /** Graph execution entry: layers with one input take `inputs[0]`; merge layers override. */
  callInputs(inputs: readonly Tensor[], context: CallContext): Tensor {
    if (inputs.length !== 1) throw new Error(`${this.name} (${this.className}) takes one input, got ${inputs.length}`);
    return this.apply(inputs[0]!, context);
  }

  /** Output shape for a list of input shapes; merge layers override. */
  computeOutputShapeFor(inputShapes: readonly LayerShape[]): LayerShape {
    if (inputShapes.length !== 1) throw new Error(`${this.name} (${this.className}) takes one input, got ${inputShapes.length}`);
    return this.computeOutputShape(inputShapes[0]!);
  }

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

  /**
   * On a tensor: checks it against the built shape (batch excluded), builds if needed, and calls.
   * On symbolic tensors (functional API): builds for their shapes and returns this layer's
   * symbolic output, recording the connection.
   */
  apply(x: Tensor, context?: CallContext): Tensor;
  apply(x: SymbolicTensor | readonly SymbolicTensor[]): SymbolicTensor;
  apply(x: Tensor | SymbolicTensor | readonly SymbolicTensor[], context: CallContext = { training: false }): Tensor | SymbolicTensor {
    if (x instanceof SymbolicTensor || Array.isArray(x)) return this.applySymbolic(x instanceof SymbolicTensor ? [x] : x);
    return this.applyTensor(x as Tensor, context);
  }

  private applySymbolic(inputs: readonly SymbolicTensor[]): SymbolicTensor {
    const shapes = inputs.map((s) => s.shape);
    if (shapes.length === 1) this.checkInputShape(shapes[0]!);
    this.ensureBuilt(shapes[0]!);
    return this.addNode(inputs, this.computeOutputShapeFor(shapes));
  }

  /** Records one application of this layer in a graph and returns its symbolic output. */
  protected addNode(inputs: readonly SymbolicTensor[], shape: LayerShape): SymbolicTensor {
    const node: GraphNode = { layer: this, inputs, index: this.inboundNodes.length };
    const out = new SymbolicTensor(shape, node);
    this.inboundNodes.push(node);
    this.nodeOutputs.push(out);
    return out;
  }

  /**
   * Keras's `layer.output`: the symbolic output of this layer's first application, to build a
   * model that shares this layer's weights (`model({ inputs: m.input, outputs: [l.output, …] })`).
   * A Sequential model gives its layers theirs when it is built.
   */
  get output(): SymbolicTensor {
    const first = this.nodeOutputs[0];
    if (!first) {
      throw new Error(`${this.name} (${this.className}): no symbolic output yet; it was never applied to a symbolic tensor ` +
        '(a Sequential model gives its layers one once its input shape is known; or call layer.apply(symbolic))');
    }
    return first;
  }

  private applyTensor(x: Tensor, context: CallContext): Tensor {
    this.prepare(x.shape);
    return this.call(x, this.trainable || context.frozen ? context : { ...context, frozen: true });
  }

  /**
   * What `apply` does before `call`, for an input of `shape`: checks it against the built
   * shape and builds if needed. For callers that compute this layer fused with another.
   */
  prepare(shape: readonly (number | null)[]): void {
    this.checkInputShape(shape, shape[0] ?? null);
    if (!this.builtInputShape) this.ensureBuilt([null, ...shape.slice(1)]);
  }

  /** Checks all but the batch axis of `shape` against the built (or declared) input shape. */
  private checkInputShape(shape: LayerShape, batch: number | null = null): void {
    const expected = this.builtInputShape ?? this.batchInputShape;
    if (expected && (expected.length !== shape.length || expected.some((d, i) => i > 0 && d !== null && d !== shape[i]))) {
      const got = formatShape([null, ...shape.slice(1)]);
      throw new Error(`${this.name} (${this.className}): expected input of shape ${formatShape(expected)}, got ${got}` +
        (batch === null ? '' : ` (batch of ${batch})`));
    }
  }

  protected addWeight(name: string, shape: readonly number[], initializer: InitializerName, trainable = true): Variable {
    checkNewWeight(this.name, name, shape);
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
