import { add, mul } from '../ops/arithmetic.js';
import { concat } from '../ops/shape.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CallContext, Layer, type LayerArgs, type LayerConfig, type LayerShape } from '../models/layer.js';
import type { KerasConfig } from './config-reader.js';

/** Layers that combine several inputs of a functional graph into one. */
abstract class Merge extends Layer {
  protected abstract merge(inputs: readonly Tensor[]): Tensor;

  protected abstract mergedShape(shapes: readonly LayerShape[]): LayerShape;

  call(_x: Tensor, _context: CallContext): Tensor {
    throw new Error(`${this.name} (${this.className}) merges a list of inputs; apply it to [a, b, ...]`);
  }

  override callInputs(inputs: readonly Tensor[], _context: CallContext): Tensor {
    if (inputs.length < 2) throw new Error(`${this.name} (${this.className}) needs at least 2 inputs, got ${inputs.length}`);
    return this.merge(inputs);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  override computeOutputShapeFor(shapes: readonly LayerShape[]): LayerShape {
    if (shapes.length < 2) throw new Error(`${this.name} (${this.className}) needs at least 2 inputs, got ${shapes.length}`);
    return this.mergedShape(shapes);
  }
}

export interface ConcatenateArgs extends LayerArgs {
  /** Axis to join along; default -1 (channels). */
  axis?: number;
}

/** Joins inputs along an axis (the channel axis by default), as SqueezeNet's fire modules do. */
export class Concatenate extends Merge {
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super('Concatenate', args);
    this.axis = args.axis ?? -1;
  }

  protected merge(inputs: readonly Tensor[]): Tensor {
    return concat(inputs, this.axis);
  }

  protected mergedShape(shapes: readonly LayerShape[]): LayerShape {
    const axis = normalizeAxis(this.axis, shapes[0]!.length, this.name);
    const out = [...shapes[0]!];
    for (const s of shapes.slice(1)) {
      if (s.length !== out.length || s.some((d, i) => i !== axis && i > 0 && d !== out[i])) {
        throw new Error(`${this.name} (Concatenate): inputs must match except on axis ${this.axis}, got ${shapes.map((x) => `[${x.join(', ')}]`).join(' and ')}`);
      }
      out[axis] = out[axis] === null || s[axis] === null ? null : out[axis]! + s[axis]!;
    }
    return out;
  }

  protected layerConfig(): LayerConfig {
    return { axis: this.axis };
  }

  static fromConfig(c: KerasConfig): Concatenate {
    return new Concatenate({ ...c.layerArgs(), axis: c.num('axis', -1) });
  }
}

/** Adds inputs of the same shape elementwise (residual connections). */
export class Add extends Merge {
  constructor(args: LayerArgs = {}) {
    super('Add', args);
  }

  static fromConfig(c: KerasConfig): Add {
    return new Add(c.layerArgs());
  }

  protected merge(inputs: readonly Tensor[]): Tensor {
    return inputs.slice(1).reduce((sum, x) => add(sum, x), inputs[0]!);
  }

  protected mergedShape(shapes: readonly LayerShape[]): LayerShape {
    return sameShapes(shapes, this);
  }

  protected layerConfig(): LayerConfig {
    return {};
  }
}

/** Multiplies inputs of the same shape elementwise (squeeze-and-excitation gates). */
export class Multiply extends Merge {
  constructor(args: LayerArgs = {}) {
    super('Multiply', args);
  }

  static fromConfig(c: KerasConfig): Multiply {
    return new Multiply(c.layerArgs());
  }

  protected merge(inputs: readonly Tensor[]): Tensor {
    return inputs.slice(1).reduce((product, x) => mul(product, x), inputs[0]!);
  }

  protected mergedShape(shapes: readonly LayerShape[]): LayerShape {
    return sameShapes(shapes, this);
  }

  protected layerConfig(): LayerConfig {
    return {};
  }
}

function sameShapes(shapes: readonly LayerShape[], layer: Layer): LayerShape {
  for (const s of shapes.slice(1)) {
    if (s.length !== shapes[0]!.length || s.some((d, i) => i > 0 && d !== shapes[0]![i])) {
      throw new Error(`${layer.name} (${layer.className}): inputs must have the same shape, got ${shapes.map((x) => `[${x.join(', ')}]`).join(' and ')}`);
    }
  }
  return shapes[0]!;
}
