import type { BatchIterator } from '../data/batch-iterator.js';
import type { SaveModelOptions } from '../io/save-model.js';
import type { LoadWeightsOptions } from '../io/weights.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Arrays, Labels } from '../training/batches.js';
import type { CompileArgs, CompiledState } from '../training/compile.js';
import { compileModel } from '../training/compile.js';
import type { EvaluateOptions, PredictOptions } from '../training/evaluate.js';
import { evaluateModel, predictModel } from '../training/evaluate.js';
import type { FitOptions } from '../training/fit.js';
import { fitModel } from '../training/fit.js';
import type { History } from '../training/history.js';
import { type CallContext, Layer, type LayerShape } from './layer.js';
import { type SummaryOptions, type SummaryRow, summarize } from './summary.js';
import type { SymbolicTensor } from './symbolic.js';
import type { Variable } from './variable.js';

/**
 * How deep models may nest inside models. Real ones nest two or three deep (a pretrained base
 * inside a classifier); calling a model runs each level's `apply` on the stack, so a chain of
 * 20,000 ended in "Maximum call stack size exceeded" at predict.
 */
export const MAX_NESTING = 100;

/**
 * A layer made of layers, with the training API. A model's own `trainable` flag applies on top
 * of its layers' flags, so freezing a nested model freezes everything inside it.
 */
export abstract class Model extends Layer {
  /** Set by compile; fit, evaluate and the optimizer read it. */
  compiled: CompiledState | null = null;
  /** A callback may set this to end fit after the current batch. */
  stopTraining = false;
  /** 1, or one more than the deepest model among its layers. */
  nesting = 1;
  /** True for a functional model made with a list of outputs: predict returns a list. */
  readonly multiOutput: boolean = false;

  abstract get layers(): readonly Layer[];

  /** The shape this model produces, batch axis first (null when not yet known). */
  abstract get outputShape(): LayerShape | null;

  /** Keras's `model.input`: the symbolic input, to build models on this one's layers. */
  abstract get input(): SymbolicTensor;

  /** The names of the layers making the outputs, in order (Keras's `output_names`). */
  get outputNames(): string[] {
    return [this.layers[this.layers.length - 1]?.name ?? this.name];
  }

  /** Every output of the model for its inputs; one for models with one output. */
  callOutputs(inputs: readonly Tensor[], context: CallContext): Tensor[] {
    return [this.callInputs(inputs, context)];
  }

  override get trainableWeights(): Variable[] {
    return this.trainable ? this.layers.flatMap((l) => l.trainableWeights) : [];
  }

  override get nonTrainableWeights(): Variable[] {
    return this.trainable ? this.layers.flatMap((l) => l.nonTrainableWeights) : this.layers.flatMap((l) => l.weights);
  }

  /** Records that `layer` is part of this model, refusing nesting past MAX_NESTING. */
  protected noteNesting(layer: Layer): void {
    if (!(layer instanceof Model)) return;
    this.nesting = Math.max(this.nesting, layer.nesting + 1);
    if (this.nesting > MAX_NESTING) {
      throw new Error(`${this.name}: models nested ${this.nesting} deep (through ${layer.name}); at most ${MAX_NESTING} levels are supported`);
    }
  }

  /** Finds a layer by name or by 0-based index. */
  getLayer(nameOrIndex: string | number): Layer {
    const found = typeof nameOrIndex === 'number' ? this.layers[nameOrIndex] : this.layers.find((l) => l.name === nameOrIndex);
    if (!found) {
      throw new Error(`${this.name}: no layer ${typeof nameOrIndex === 'number' ? `at index ${nameOrIndex}` : `named '${nameOrIndex}'`}; ` +
        `layers are ${this.layers.map((l) => l.name).join(', ')}`);
    }
    return found;
  }

  /** The summary table's rows: one per layer with its output shape (Functional adds connections). */
  abstract summaryRows(): SummaryRow[];

  /** Prints the Keras summary table and returns it. */
  summary(options: SummaryOptions = {}): string {
    const text = summarize(this, options);
    (options.print ?? console.log)(text);
    return text;
  }

  compile(args: CompileArgs): void {
    this.compiled = compileModel(this, args);
  }

  /** x, y: one tensor, or for a model with several inputs, outputs one per input, output, in order. */
  fit(x: Arrays, y: Labels, options?: FitOptions): Promise<History>;
  fit(iterator: BatchIterator, options?: FitOptions): Promise<History>;
  fit(a: Arrays | BatchIterator, b?: Labels | FitOptions, c?: FitOptions): Promise<History> {
    return fitModel(this, a, b, c);
  }

  /** Returns { loss, ...metrics }, as R keras's evaluate does. */
  evaluate(x: Arrays, y: Labels, options?: EvaluateOptions): Promise<Record<string, number>>;
  evaluate(iterator: BatchIterator, options?: EvaluateOptions): Promise<Record<string, number>>;
  evaluate(a: Arrays | BatchIterator, b?: Labels | EvaluateOptions, c?: EvaluateOptions): Promise<Record<string, number>> {
    return evaluateModel(this, a, b, c);
  }

  /**
   * Outputs for every sample, in input (or iterator) order: a tensor, or for a model made with
   * a list of outputs, a list of tensors in that order. x: one tensor per input for several.
   */
  predict(this: { readonly multiOutput: true }, x: Arrays | BatchIterator, options?: PredictOptions): Promise<Tensor[]>;
  predict(x: Arrays | BatchIterator, options?: PredictOptions): Promise<Tensor>;
  async predict(x: Arrays | BatchIterator, options: PredictOptions = {}): Promise<Tensor | Tensor[]> {
    const outputs = await predictModel(this, x, options);
    return this.multiOutput ? outputs : outputs[0]!;
  }

  // The io functions are imported on use: io sits above models, so a static import would be a cycle.

  /** Saves architecture, weights and training state as a Keras HDF5 file; see `saveModel`. */
  async save(path: string, options?: SaveModelOptions): Promise<void> {
    const { saveModel } = await import('../io/save-model.js');
    return saveModel(this, path, options);
  }

  /** Saves the weights only, in Keras's weights-file layout; see `saveWeights`. */
  async saveWeights(path: string): Promise<void> {
    const { saveWeights } = await import('../io/weights.js');
    return saveWeights(this, path);
  }

  /** Loads weights from a Keras HDF5 file, by position or `byName`; see `loadWeights`. */
  async loadWeights(path: string, options?: LoadWeightsOptions): Promise<void> {
    const { loadWeights } = await import('../io/weights.js');
    return loadWeights(this, path, options);
  }
}
