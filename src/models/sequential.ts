import { releaseDead } from '../ops/scope.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CallContext, Layer, type LayerArgs, type LayerConfig, type LayerShape } from './layer.js';
import { callFused, fusesWith } from './fusion.js';
import { input } from './input-layer.js';
import { Model } from './model.js';
import type { SymbolicTensor } from './symbolic.js';
import type { SummaryRow } from './summary.js';

/**
 * A linear stack of layers. Built as soon as its first layer knows its input shape, so that
 * `summary()` works before any data is seen; otherwise built by the first batch.
 */
export class Sequential extends Model {
  private readonly stack: Layer[] = [];
  private shapes: LayerShape[] = [];
  /** The symbolic graph through the layers, made when the model is built. */
  private symbolic: { input: SymbolicTensor; output: SymbolicTensor } | null = null;

  constructor(layers: readonly Layer[] = [], args: LayerArgs = {}) {
    super('Sequential', args);
    for (const layer of layers) this.add(layer);
  }

  get layers(): readonly Layer[] {
    return this.stack;
  }

  override get batchInputShape(): LayerShape | null {
    return this.stack[0]?.batchInputShape ?? null;
  }

  get outputShape(): LayerShape | null {
    return this.shapes[this.shapes.length - 1] ?? null;
  }

  /**
   * Keras's `model.input`, with each layer's `output` on the path from it, so that
   * `model({ inputs: m.input, outputs: m.layers.map((l) => l.output) })` shares the weights.
   */
  get input(): SymbolicTensor {
    return this.requireGraph().input;
  }

  override get output(): SymbolicTensor {
    return this.requireGraph().output;
  }

  private requireGraph(): { input: SymbolicTensor; output: SymbolicTensor } {
    if (!this.symbolic) throw new Error(`${this.name}: no input yet; give the first layer an inputShape, or build the model first`);
    return this.symbolic;
  }

  summaryRows(): SummaryRow[] {
    return this.stack.map((layer, i) => ({ layer, outputShape: this.shapes[i] ?? null }));
  }

  /** Appends a layer (or a whole model); returns this model, for chaining. */
  add(layer: Layer): this {
    if (!(layer instanceof Layer)) throw new Error(`${this.name}.add: expected a layer, got ${String(layer)}`);
    if (this.stack.includes(layer)) throw new Error(`${this.name}.add: layer ${layer.name} is already in this model`);
    const previous = this.shapes[this.shapes.length - 1];
    const declared = layer.batchInputShape;
    if (previous && declared && (declared.length !== previous.length || declared.some((d, i) => i > 0 && d !== previous[i]))) {
      throw new Error(`${this.name}.add: ${layer.name} declares input shape ${formatShape(declared)} but follows a layer ` +
        `with output ${formatShape(previous)}`);
    }
    this.noteNesting(layer);
    this.stack.push(layer);
    if (this.symbolic) this.symbolic.output = layer.apply(this.symbolic.output);
    if (this.stack.length === 1 && layer.batchInputShape) this.ensureBuilt(layer.batchInputShape);
    else if (this.built) this.buildFrom(this.stack.length - 1, this.shapes[this.shapes.length - 1]!);
    return this;
  }

  protected override build(inputShape: LayerShape): void {
    if (this.stack.length === 0) throw new Error(`${this.name}: cannot build a Sequential model without layers`);
    this.shapes = [];
    this.buildFrom(0, inputShape);
    // As Keras does once the input shape is known: each layer's symbolic output, for models built on this one's layers.
    const x = input({ shape: inputShape.slice(1) as number[], name: `${this.stack[0]!.name}_input` });
    this.symbolic = { input: x, output: this.stack.reduce((h, layer) => layer.apply(h), x) };
  }

  private buildFrom(start: number, inputShape: LayerShape): void {
    let shape = inputShape;
    for (const layer of this.stack.slice(start)) {
      layer.ensureBuilt(shape);
      shape = layer.computeOutputShape(shape);
      this.shapes.push(shape);
    }
  }

  call(x: Tensor, context: CallContext): Tensor {
    let h = x;
    for (let i = 0; i < this.stack.length; i++) {
      const [layer, next] = [this.stack[i]!, this.stack[i + 1]];
      const read = h;
      if (next && fusesWith(next, [layer], h.rank)) {
        h = callFused(next, [layer], [h], context);
        i++;
      } else {
        h = layer.apply(h, context);
      }
      if (read !== x) releaseDead(read, [h]);  // x is the caller's
    }
    return h;
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return this.stack.reduce((s, layer) => layer.computeOutputShape(s), inputShape);
  }

  protected layerConfig(): LayerConfig {
    return { layers: this.stack.map((l) => ({ class_name: l.className, config: l.getConfig() })) };
  }
}
