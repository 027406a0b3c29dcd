import { Functional } from '../models/functional.js';
import { input } from '../models/input-layer.js';
import type { Layer, LayerShape } from '../models/layer.js';
import { Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import type { SymbolicTensor } from '../models/symbolic.js';

/** A model's graph with nested models opened up: every layer's output, by name, in order. */
interface Unrolled {
  readonly input: SymbolicTensor;
  readonly output: SymbolicTensor;
  readonly byName: ReadonlyMap<string, SymbolicTensor>;
  /** Layers that are not models themselves, in order. */
  readonly leaves: readonly string[];
}

/** Each model is unrolled once: every unrolling adds a node to each of its layers. */
const unrolledModels = new WeakMap<Model, Unrolled>();

/**
 * Applies the layers of `model` to `inputs` one by one, descending into nested models (a
 * pretrained base inside a classifier), so that a layer deep inside is an output of the graph
 * like any other. The layers are the model's own: the weights are shared.
 */
function replay(model: Model, inputs: readonly SymbolicTensor[], byName: Map<string, SymbolicTensor>, leaves: string[]): SymbolicTensor[] {
  const step = (layer: Layer, args: readonly SymbolicTensor[]): SymbolicTensor => {
    const out = layer instanceof Model ? replay(layer, args, byName, leaves)[0]! : layer.apply(args.length === 1 ? args[0]! : args);
    if (!(layer instanceof Model)) leaves.push(layer.name);
    byName.set(layer.name, out);
    return out;
  };
  if (model instanceof Sequential) return [model.layers.reduce((h, layer) => step(layer, [h]), inputs[0]!)];
  if (!(model instanceof Functional)) throw new Error(`${model.name}: cannot look inside a ${model.className} model`);
  const values = new Map<SymbolicTensor, SymbolicTensor>(model.inputs.map((s, i) => [s, inputs[i]!]));
  for (const s of model.graph) if (!values.has(s)) values.set(s, step(s.node.layer, s.node.inputs.map((i) => values.get(i)!)));
  return model.outputs.map((s) => values.get(s)!);
}

function unroll(model: Model): Unrolled {
  let found = unrolledModels.get(model);
  if (!found) {
    const shape = model.inputShape ?? model.batchInputShape;
    if (!shape) throw new Error(`${model.name}: the model has no input shape yet; build it (or give its first layer an inputShape) first`);
    const x = input({ shape: shape.slice(1) as number[] });
    const byName = new Map<string, SymbolicTensor>();
    const leaves: string[] = [];
    found = { input: x, output: replay(model, [x], byName, leaves)[0]!, byName, leaves };
    unrolledModels.set(model, found);
  }
  return found;
}

/** The layers with feature maps (rank-4 outputs), nested models' included but not the models themselves, in order. */
export function featureMapLayers(model: Model): string[] {
  const graph = unroll(model);
  return graph.leaves.filter((name) => graph.byName.get(name)!.rank === 4);
}

/** A layer by name, nested models' included; an unknown name is an error listing the model's layers. */
export function layerNamed(model: Model, name: string): Layer {
  return tensorOf(unroll(model), name, model).node.layer;
}

/** The shape of a layer's output, batch axis first (rank 4 for feature maps), by name. */
export function outputShape(model: Model, name: string): LayerShape {
  return tensorOf(unroll(model), name, model).shape;
}

function tensorOf(graph: Unrolled, name: string, model: Model): SymbolicTensor {
  const found = graph.byName.get(name);
  if (!found) throw new Error(`${model.name}: no layer named '${name}'; its layers are ${[...graph.byName.keys()].join(', ')}`);
  return found;
}

/**
 * A model from `model`'s input to the outputs of the layers named (looked for in nested models
 * too), and to the model's own output when `withOutput` is set: what the book builds with
 * `keras_model(inputs = model$input, outputs = layer_outputs)`, sharing the weights.
 */
export function tapModel(model: Model, names: readonly string[], withOutput = false): Functional<true> {
  const graph = unroll(model);
  const outputs = names.map((name) => tensorOf(graph, name, model));
  return new Functional<true>({ inputs: graph.input, outputs: withOutput ? [...outputs, graph.output] : outputs });
}
