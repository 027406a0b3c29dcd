import { getProfile } from '../config.js';
import { layerFromConfig } from '../layers/registry.js';
import type { Layer, LayerConfig } from '../models/layer.js';
import { MAX_NESTING, Model } from '../models/model.js';
import { Functional } from '../models/functional.js';
import { Sequential } from '../models/sequential.js';
import { functionalConfig, functionalFromConfig } from './functional-config.js';
import { PythonFloat } from './python-json.js';

/** A `{class_name, config}` entry of Keras's model_config JSON. */
export interface KerasEntry {
  class_name: string;
  config: unknown;
}

/** How K22 spells each initializer: as the VarianceScaling it is made of, or a bare class. */
const K22_INITIALIZERS: Record<string, KerasEntry> = {
  GlorotUniform: varianceScaling(1, 'fan_avg', 'uniform'),
  GlorotNormal: varianceScaling(1, 'fan_avg', 'normal'),
  HeUniform: varianceScaling(2, 'fan_in', 'uniform'),
  HeNormal: varianceScaling(2, 'fan_in', 'normal'),
  Zeros: { class_name: 'Zeros', config: {} },
  Ones: { class_name: 'Ones', config: {} },
};

function varianceScaling(scale: number, mode: string, distribution: string): KerasEntry {
  return { class_name: 'VarianceScaling', config: { scale: new PythonFloat(scale), mode, distribution, seed: null } };
}

/**
 * A layer's config as Keras 2.2.4 writes it: `dtype` only beside `batch_input_shape` (first
 * layer), initializers as VarianceScaling/Zeros. Under the TF2 profile the config is kept as the
 * layer reports it.
 */
export function layerEntry(layer: Layer): KerasEntry {
  if (layer instanceof Model) return modelConfig(layer);
  const config = layer.getConfig();
  if (getProfile() === 'K22') {
    if (config.batch_input_shape === undefined) delete config.dtype;
    for (const key of layer.initializerKeys) {
      const init = config[key] as KerasEntry | undefined;
      if (init && K22_INITIALIZERS[init.class_name]) config[key] = K22_INITIALIZERS[init.class_name];
    }
  }
  return { class_name: layer.className, config };
}

/**
 * The `model_config` entry of a model: K22's Sequential config is `{name, layers}`. A frozen
 * nested model also records `trainable: false` (Keras 2.2.4 ignores the key, and without it the
 * freeze would be lost).
 */
export function modelConfig(model: Model): KerasEntry {
  if (model instanceof Functional) return functionalConfig(model);
  if (!(model instanceof Sequential)) throw new Error(`${model.name}: cannot save a model of class ${model.className}`);
  const entries = model.layers.map(layerEntry);
  const first = entries[0]?.config as LayerConfig | undefined;
  if (getProfile() === 'TF2' && first?.batch_input_shape !== undefined) {
    // tf.keras gives the input shape by an InputLayer entry first; Keras 3 needs it (it reads a
    // first layer's batch_input_shape as a per-sample shape). Keras 2.2.4 writes none.
    entries.unshift({ class_name: 'InputLayer', config: { batch_input_shape: first.batch_input_shape, dtype: first.dtype ?? 'float32',
      sparse: false, name: `${String(first.name)}_input` } });
  }
  const config: LayerConfig = { name: model.name, layers: entries };
  if (!model.trainable) config.trainable = false;
  return { class_name: 'Sequential', config };
}

/** Builds a model from its `model_config` entry; `where` (file and position) prefixes errors. */
export type ModelFromConfig = (config: unknown, where: string) => Model;

/**
 * Model classes by Keras class name. The functional API will add 'Model' (K22) and
 * 'Functional' (TF2) here; a nested entry of any of these classes is built the same way.
 */
export const MODEL_CLASSES: Record<string, ModelFromConfig> = {
  Sequential: sequentialFromConfig,
  Model: functionalFromConfig,
  Functional: functionalFromConfig,
};

/** Models being built from config around the current one: nesting is refused before it exhausts the stack. */
let depth = 0;
/** The outermost model's `where` (the file), which the nesting error names; inner ones repeat it at length. */
let outermost = '';

/** The model described by a parsed `model_config`. */
export function modelFromConfig(entry: unknown, where: string): Model {
  const { class_name: className, config } = asEntry(entry, where);
  const build = Object.hasOwn(MODEL_CLASSES, className) ? MODEL_CLASSES[className] : undefined;
  if (!build) {
    throw new Error(`${where}: model class '${className}' cannot be loaded; deeptype loads ${Object.keys(MODEL_CLASSES).join(', ')} models`);
  }
  if (depth === 0) outermost = where;
  if (depth >= MAX_NESTING) throw new Error(`${outermost}: models nested more than ${MAX_NESTING} deep`);
  depth++;
  try {
    return build(config, where);
  } finally {
    depth--;
  }
}

export function asEntry(entry: unknown, where: string): { class_name: string; config: unknown } {
  const e = entry as Partial<KerasEntry> | null;
  if (typeof e !== 'object' || e === null || typeof e.class_name !== 'string') {
    throw new Error(`${where}: expected {"class_name": …, "config": …}, got ${JSON.stringify(entry)?.slice(0, 80)}`);
  }
  return { class_name: e.class_name, config: e.config ?? {} };
}

/**
 * K22 and TF2 write `{name, layers}`; Keras ≤ 2.1 wrote the bare list. tf.keras puts an
 * InputLayer entry first: it is not a layer of the model, only the input shape of the next one.
 */
function sequentialFromConfig(config: unknown, where: string): Model {
  const c = (Array.isArray(config) ? { layers: config } : config) as { name?: unknown; layers?: unknown; trainable?: unknown };
  if (typeof c !== 'object' || c === null || !Array.isArray(c.layers)) throw new Error(`${where}: Sequential config has no 'layers' list`);
  const name = typeof c.name === 'string' ? c.name : undefined;
  const modelWhere = `${where}: model '${name ?? 'sequential'}'`;
  let pendingInputShape: unknown = null;
  const layers: Layer[] = [];
  c.layers.forEach((item: unknown, i: number) => {
    const { class_name: className, config: layerConfig } = asEntry(item, `${modelWhere} layer #${i + 1}`);
    const lc = { ...(layerConfig as LayerConfig) };
    const layerWhere = `${modelWhere} layer #${i + 1} ${typeof lc.name === 'string' ? `'${lc.name}'` : `(${className})`}`;
    if (className === 'InputLayer') {
      pendingInputShape = lc.batch_input_shape ?? lc.batch_shape ?? null;
      return;
    }
    if (pendingInputShape !== null && lc.batch_input_shape === undefined) lc.batch_input_shape = pendingInputShape;
    pendingInputShape = null;
    layers.push(Object.hasOwn(MODEL_CLASSES, className) ? modelFromConfig({ class_name: className, config: lc }, layerWhere)
      : layerFromConfig(className, lc, layerWhere));
  });
  const model = new Sequential(layers, name === undefined ? {} : { name });
  if (c.trainable === false) model.trainable = false;
  return model;
}
