import { getProfile } from '../config.js';
import { layerFromConfig } from '../layers/registry.js';
import { Functional } from '../models/functional.js';
import { input } from '../models/input-layer.js';
import type { Layer, LayerConfig } from '../models/layer.js';
import type { Model } from '../models/model.js';
import type { SymbolicTensor } from '../models/symbolic.js';
import { asEntry, type KerasEntry, layerEntry, MODEL_CLASSES, modelFromConfig } from './keras-config.js';

/** Keras's reference to a tensor: [layer name, node index, tensor index, kwargs]. */
type TensorRef = [string, number, number, ...unknown[]];

/**
 * A functional model's config as Keras 2.2.4 writes it: `{name, layers, input_layers,
 * output_layers}`, each layer with its `inbound_nodes`; layer configs in the K22 spelling.
 * Under the TF2 profile a lone input or output is one reference rather than a list of one, as
 * tf.keras writes a model built on single tensors (Keras 3 reads a list as a list output).
 */
export function functionalConfig(model: Functional): KerasEntry {
  const own = model.getConfig() as LayerConfig & { layers: LayerConfig[] };
  const layers = own.layers.map((entry, i) => ({ ...entry, ...layerEntry(model.layers[i]!) }));
  const refs = (list: unknown): unknown => (getProfile() === 'TF2' && Array.isArray(list) && list.length === 1 ? list[0] : list);
  const config: LayerConfig = { name: model.name, layers, input_layers: refs(own.input_layers), output_layers: refs(own.output_layers) };
  if (!model.trainable) config.trainable = false;
  return { class_name: model.className, config };
}

interface PendingLayer {
  layer: Layer;
  nodes: TensorRef[][];
}

/**
 * Rebuilds a functional model: creates every layer from its config, then replays the
 * connections (`inbound_nodes`) in passes until each layer has been applied as often as it was
 * saved, so the listing order of layers does not matter.
 */
export function functionalFromConfig(config: unknown, where: string): Model {
  const c = config as { name?: unknown; layers?: unknown; input_layers?: unknown; output_layers?: unknown; trainable?: unknown };
  if (typeof c !== 'object' || c === null || !Array.isArray(c.layers) || !Array.isArray(c.input_layers) || !Array.isArray(c.output_layers)) {
    throw new Error(`${where}: a functional model config needs 'layers', 'input_layers' and 'output_layers' lists`);
  }
  const name = typeof c.name === 'string' ? c.name : undefined;
  const modelWhere = `${where}: model '${name ?? 'model'}'`;
  const outputs = new Map<string, SymbolicTensor[]>();
  const pending: PendingLayer[] = [];
  c.layers.forEach((item: unknown, i: number) => {
    const { class_name: className, config: layerConfig } = asEntry(item, `${modelWhere} layer #${i + 1}`);
    const lc = { ...(layerConfig as LayerConfig) };
    const layerName = String((item as { name?: unknown }).name ?? lc.name ?? className);
    const layerWhere = `${modelWhere} layer '${layerName}'`;
    if (className === 'InputLayer') {
      const shape = lc.batch_input_shape;
      if (!Array.isArray(shape) || shape.slice(1).some((d) => !Number.isInteger(d))) {
        throw new Error(`${layerWhere}: InputLayer needs a batch_input_shape of known sizes, got ${JSON.stringify(shape)}`);
      }
      outputs.set(layerName, [input({ shape: shape.slice(1) as number[], name: layerName })]);
      return;
    }
    delete lc.batch_input_shape;
    const layer = Object.hasOwn(MODEL_CLASSES, className) ? modelFromConfig({ class_name: className, config: lc }, layerWhere)
      : layerFromConfig(className, lc, layerWhere);
    const nodes = (item as { inbound_nodes?: unknown }).inbound_nodes;
    if (!Array.isArray(nodes)) throw new Error(`${layerWhere}: missing 'inbound_nodes'`);
    pending.push({ layer, nodes: nodes as TensorRef[][] });
  });
  const resolve = (ref: TensorRef): SymbolicTensor | undefined => outputs.get(ref[0])?.[ref[1]];
  for (let progress = true; progress;) {
    progress = false;
    for (const p of pending) {
      const made = outputs.get(p.layer.name) ?? [];
      const node = p.nodes[made.length];
      if (!node) continue;
      const inputs = node.map(resolve);
      if (inputs.some((t) => !t)) continue;
      const symbolic = inputs as SymbolicTensor[];
      outputs.set(p.layer.name, [...made, p.layer.apply(symbolic.length === 1 ? symbolic[0]! : symbolic)]);
      progress = true;
    }
  }
  const stuck = pending.find((p) => (outputs.get(p.layer.name)?.length ?? 0) < p.nodes.length);
  if (stuck) throw new Error(`${modelWhere}: the inputs of layer '${stuck.layer.name}' are never produced; the graph cannot be rebuilt`);
  // One reference alone (tf.keras, Keras 3) or a list of them (Keras 2.2.4).
  const lookup = (refs: unknown[], what: string): SymbolicTensor[] => (typeof refs[0] === 'string' ? [refs] : refs).map((ref) => {
    const t = resolve(ref as TensorRef);
    if (!t) throw new Error(`${modelWhere}: ${what} ${JSON.stringify(ref)} names no tensor of the model`);
    return t;
  });
  const ends = lookup(c.output_layers, 'output');
  return new Functional({ inputs: lookup(c.input_layers, 'input'), outputs: ends.length === 1 ? ends[0]! : ends,
    name, trainable: c.trainable === false ? false : undefined });
}
