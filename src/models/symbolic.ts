import type { Layer, LayerShape } from './layer.js';

/** One application of a layer in a functional graph: which tensors went in, which came out. */
export interface GraphNode {
  readonly layer: Layer;
  readonly inputs: readonly SymbolicTensor[];
  /** This node's index among the layer's applications (Keras's node_index). */
  readonly index: number;
}

let created = 0;

/**
 * A placeholder flowing through `layer.apply` to describe a functional model: it has a shape
 * (batch axis null) and remembers the node that produced it. Creation order is a topological
 * order of the graph, because a node's inputs always exist before it.
 */
export class SymbolicTensor {
  readonly id = created++;

  constructor(readonly shape: LayerShape, readonly node: GraphNode) {}

  get rank(): number {
    return this.shape.length;
  }
}

export function isSymbolic(value: unknown): value is SymbolicTensor {
  return value instanceof SymbolicTensor;
}
