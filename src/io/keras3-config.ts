import type { Layer, LayerConfig } from '../models/layer.js';
import { Functional } from '../models/functional.js';
import { MAX_NESTING, Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';

// The one adapter between Keras 3's serialisation (every object `{module, class_name, config,
// registered_name}`, InputLayer's `batch_shape`, functional nodes as `{args, kwargs}` holding
// `__keras_tensor__` references) and the configs the layers and io/keras-config.ts speak (TF2's).

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The `keras_history` ([layer, node, tensor]) of every tensor reference inside a Keras 3 node's args, in order. */
function tensorRefs(value: unknown): unknown[][] {
  if (Array.isArray(value)) return value.flatMap(tensorRefs);
  if (!isObject(value)) return [];
  if (value.class_name === '__keras_tensor__') return [[...((value.config as Json | undefined)?.keras_history as unknown[] ?? []), {}]];
  return Object.values(value).flatMap(tensorRefs);
}

/** `["img", 0, 0]` (one tensor, Keras 3) or `[["img", 0, 0]]` → the list form. */
const refList = (refs: unknown): unknown => (Array.isArray(refs) && typeof refs[0] === 'string' ? [refs] : refs);

/**
 * A Keras 3 model or layer entry in the shape io/keras-config.ts reads; entries already in the
 * Keras 2 shape pass through unchanged, so every file goes through it.
 */
export function fromKeras3(entry: unknown, depth = 0): unknown {
  // Deeper nesting is left as it is, for modelFromConfig to refuse with its own message.
  if (!isObject(entry) || !isObject(entry.config) || depth > MAX_NESTING) return entry;
  const config: Json = { ...entry.config };
  const out: Json = { ...entry, config };
  if (entry.class_name === 'InputLayer' && config.batch_shape !== undefined && config.batch_input_shape === undefined) {
    config.batch_input_shape = config.batch_shape;
  }
  if (Array.isArray(config.layers)) config.layers = config.layers.map((layer) => fromKeras3(layer, depth + 1));
  if (config.input_layers !== undefined) config.input_layers = refList(config.input_layers);
  if (config.output_layers !== undefined) config.output_layers = refList(config.output_layers);
  if (Array.isArray(entry.inbound_nodes)) {
    out.inbound_nodes = entry.inbound_nodes.map((node) => (isObject(node) ? tensorRefs(node.args) : node));
  }
  return out;
}

const serialized = (module: string, className: string, config: unknown): Json =>
  ({ module, class_name: className, config, registered_name: null });

/** A layer's TF2 config in Keras 3's spelling: initializers as serialised objects, no input shape. */
function layerConfig3(layer: Layer): Json {
  const config: LayerConfig = { ...layer.getConfig() };
  delete config.batch_input_shape;
  for (const [key, value] of Object.entries(config)) {
    if (key.endsWith('_initializer') && isObject(value)) config[key] = serialized('keras.initializers', String(value.class_name), value.config ?? {});
  }
  return config;
}

/** Keras 3's InputLayer entry for inputs of `batchShape`. */
function inputEntry(name: string, batchShape: readonly (number | null)[]): Json {
  return serialized('keras.layers', 'InputLayer', { batch_shape: [...batchShape], dtype: 'float32', sparse: false, ragged: false, name, optional: false });
}

/**
 * A layer or nested model as Keras 3's `config.json` writes it. Layers go without the
 * `build_config` Keras adds: the model's InputLayer or inbound nodes build them on loading.
 */
function entry3(layer: Layer): Json {
  return layer instanceof Model ? modelConfig3(layer) : serialized('keras.layers', layer.className, layerConfig3(layer));
}

/** A model's `config.json` entry, Keras 3's serialisation of Sequential and functional models. */
export function modelConfig3(model: Model): Json {
  const base = { name: model.name, trainable: model.trainable, dtype: 'float32' };
  const inputShape = model.layers[0]?.inputShape ?? null;
  const build = inputShape ? { build_config: { input_shape: [...inputShape] } } : {};
  if (model instanceof Sequential) {
    const first = model.layers[0];
    const input = first?.inputShape ? [inputEntry(`${model.name}_input`, first.inputShape)] : [];
    return { ...serialized('keras', 'Sequential', { ...base, layers: [...input, ...model.layers.map(entry3)] }), ...build };
  }
  if (model instanceof Functional) {
    const own = model.getConfig() as { layers: { name: string; class_name: string; config: LayerConfig; inbound_nodes: unknown[][][] }[];
      input_layers: unknown[]; output_layers: unknown[] };
    // Keras 3 rebuilds each reference with its shape: that of the tensor a layer's node produced.
    const shapes = new Map(model.layers.flatMap((l) => l.inboundNodes.flatMap((n) => n.inputs))
      .map((t) => [`${t.node.layer.name}:${t.node.index}`, t.shape]));
    const layers = own.layers.map((l, i) => {
      const layer = model.layers[i]!;
      const head = l.class_name === 'InputLayer' ? inputEntry(l.name, l.config.batch_input_shape as (number | null)[]) : entry3(layer);
      const inbound = l.inbound_nodes.map((node) => {
        const tensors = node.map((ref) => ({ class_name: '__keras_tensor__',
          config: { shape: shapes.get(`${String(ref[0])}:${String(ref[1])}`), dtype: 'float32', keras_history: ref.slice(0, 3) } }));
        return { args: tensors.length === 1 ? tensors : [tensors], kwargs: {} };
      });
      return { ...head, name: l.name, inbound_nodes: inbound };
    });
    const unwrap = (refs: unknown[]): unknown => (refs.length === 1 ? refs[0] : refs);
    return { ...serialized('keras.src.models.functional', 'Functional',
      { ...base, layers, input_layers: unwrap(own.input_layers), output_layers: unwrap(own.output_layers) }), ...build };
  }
  throw new Error(`${model.name}: cannot save a model of class ${model.className} as .keras`);
}
