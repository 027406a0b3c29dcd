import type { Tensor } from '../tensor/tensor.js';
import { type CallContext, Layer, type LayerConfig, type LayerShape } from './layer.js';
import type { SymbolicTensor } from './symbolic.js';

/** The entry of a functional model: holds the input shape, passes data through unchanged. */
export class InputLayer extends Layer {
  constructor(shape: readonly number[], name?: string) {
    super('InputLayer', { name: name ?? undefined, inputShape: shape, nameCounter: 'input' });
    this.ensureBuilt(this.batchInputShape!);
    this.addNode([], this.batchInputShape!);
  }

  call(x: Tensor, _context: CallContext): Tensor {
    return x;
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  protected layerConfig(): LayerConfig {
    return { sparse: false };
  }
}

export interface InputArgs {
  /** Shape of one sample, without the batch axis: [150, 150, 3]. */
  shape: readonly number[];
  name?: string;
}

/**
 * The symbolic input of a functional model.
 * @example
 * const x = input({ shape: [32, 32, 3] });
 * const y = layers.dense({ units: 10 }).apply(layers.flatten().apply(x));
 * const m = model({ inputs: x, outputs: y });
 */
export function input(args: InputArgs): SymbolicTensor {
  return new InputLayer(args.shape, args.name).output;
}
