import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Layer } from '../models/layer.js';
import { Functional } from '../models/functional.js';
import { Model } from '../models/model.js';
import type { Variable } from '../models/variable.js';
import { withWeightBudget } from '../models/weight-budget.js';
import { sizeOf } from '../tensor/shape.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { CompiledState } from '../training/compile.js';
import { writeFileAtomic } from './atomic-write.js';
import { type Group, resolvePath, StoredDataset, StoredGroup, withH5Read, withH5Write } from './h5.js';
import { modelFromConfig } from './keras-config.js';
import { ensureParent } from './keras-h5-writer.js';
import { fromKeras3, modelConfig3 } from './keras3-config.js';
import { keras3SlotOrder } from './optimizer-weights.js';
import { compileFromTrainingConfig } from './training-config.js';
import { formatTuple } from './weights-matching.js';
import { readZip, writeZip } from './zip.js';

/** The Keras version written into metadata.json: the Keras 3 whose files deeptype's were checked against. */
export const KERAS3_VERSION = '3.15.1';
const MEMBERS = ['metadata.json', 'config.json', 'model.weights.h5'] as const;

/** Keras 3's naming.to_snake_case: the weights file names layers by class, not by layer name. */
const snakeCase = (name: string): string => name.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();

/**
 * Every layer and nested model with its group in model.weights.h5: `layers/<class in snake
 * case>`, numbered `_1`, `_2` … when a class repeats within one model, a nested model's layers
 * under its own `layers/`, as Keras 3's saving_lib walks a model.
 */
function layerPaths(model: Model, prefix = ''): { layer: Layer; path: string }[] {
  const used = new Map<string, number>();
  return model.layers.flatMap((layer) => {
    // deeptype's functional models report K22's class name, Model; Keras 3's is Functional.
    const base = snakeCase(layer instanceof Functional ? 'Functional' : layer.className);
    const n = used.get(base);
    used.set(base, n === undefined ? 0 : n + 1);
    const path = `${prefix}layers/${n === undefined ? base : `${base}_${n + 1}`}`;
    return layer instanceof Model ? [{ layer, path }, ...layerPaths(layer, `${path}/`)] : [{ layer, path }];
  });
}

/** The weights a layer itself holds (a nested model's are its layers'). */
const ownWeights = (layer: Layer): readonly Variable[] => (layer instanceof Model ? [] : layer.weights);

/** Keras 3's optimizer config: `learning_rate`, and no Keras 2 time decay. */
function optimizerConfig3(compiled: CompiledState): Record<string, unknown> {
  const { optimizer } = compiled;
  const { lr, decay, ...rest } = optimizer.getConfig();
  if (typeof decay === 'number' && decay !== 0) {
    throw new Error(`${optimizer.className}: decay ${decay} (Keras 2's time decay) has no Keras 3 equivalent; use a learning-rate schedule to save as .keras`);
  }
  const config = { name: snakeCase(optimizer.className), ...(lr === undefined ? {} : { learning_rate: Math.fround(lr as number) }), ...rest };
  return { module: 'keras.optimizers', class_name: optimizer.className, config, registered_name: null };
}

function writeWeights(file: Group, model: Model, compiled: CompiledState | null): void {
  const vars = (group: Group, name: string): Group => {
    const g = group.create_group('vars');
    g.create_attribute('name', name, null, 'S');
    return g;
  };
  const float32 = (group: Group, name: string, data: Float32Array, shape: readonly number[]): void => {
    group.create_dataset({ name, data, shape: [...shape], dtype: '<f' });
  };
  file.create_group('layers');
  for (const { layer, path } of layerPaths(model)) {
    const { parent, leaf } = ensureParent(file, path);
    const group = vars(parent.create_group(leaf), layer.name);
    ownWeights(layer).forEach((w, i) => float32(group, String(i), w.value.f32, w.shape));
  }
  vars(file, model.name);
  if (!compiled) return;
  const { optimizer, trainableWeights } = compiled;
  const group = vars(file.create_group('optimizer'), snakeCase(optimizer.className));
  group.create_dataset({ name: '0', data: new BigInt64Array([BigInt(optimizer.iterations)]), shape: [], dtype: '<q' });
  if (!optimizer.schedule) float32(group, '1', new Float32Array([optimizer.learningRate]), []);
  const slots = optimizer.getSlots(trainableWeights);
  const first = leadingVars(optimizer);
  keras3SlotOrder(slots.length, trainableWeights.length).forEach((slot, i) => {
    float32(group, String(i + first), slots[slot]!, trainableWeights[slot % trainableWeights.length]!.shape);
  });
}

/** Keras 3's optimizer variables before the state: the step count, and the rate unless a schedule gives it. */
const leadingVars = (optimizer: Optimizer): number => (optimizer.schedule ? 1 : 2);

/**
 * Saves `model` as Keras 3's `.keras` archive: `metadata.json`, `config.json` (Keras 3's
 * serialisation, with `compile_config` when compiled) and `model.weights.h5` (weights under
 * `layers/<class>/vars/<i>`, the optimizer's step count, rate and state under `optimizer/vars`),
 * stored in a zip as Keras 3 writes it, under a temporary name and renamed.
 */
export async function saveKerasArchive(model: Model, path: string, compiled: CompiledState | null): Promise<void> {
  const config: Record<string, unknown> = modelConfig3(model);
  if (compiled) {
    config.compile_config = { optimizer: optimizerConfig3(compiled), loss: compiled.lossName, loss_weights: null,
      metrics: compiled.metricNames.length ? compiled.metricNames : null, weighted_metrics: null, run_eagerly: false,
      steps_per_execution: 1, jit_compile: false };
  }
  const now = new Date();
  const pad = (n: number): string => String(n).padStart(2, '0');
  const date = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}@${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
  const weights = await viaTempFile(null, (temp) => withH5Write(temp, (file) => writeWeights(file, model, compiled)).then(() => readFileSync(temp)));
  const zip = writeZip([
    ['metadata.json', Buffer.from(JSON.stringify({ keras_version: KERAS3_VERSION, date_saved: date }))],
    ['config.json', Buffer.from(JSON.stringify(config))],
    ['model.weights.h5', weights],
  ], now);
  await writeFileAtomic(resolvePath(path), zip);
}

/** Runs `use` on a temporary file (holding `bytes` when given), removed afterwards. */
async function viaTempFile<T>(bytes: Uint8Array | null, use: (path: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'deeptype-keras-'));
  const temp = join(dir, 'model.weights.h5');
  try {
    if (bytes) writeFileSync(temp, bytes);
    return await use(temp);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseMember(members: Map<string, Buffer>, name: string, file: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(members.get(name)!.toString('utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${file}: ${name} is not valid JSON (${(e as Error).message})`);
  }
  throw new Error(`${file}: ${name} should hold a JSON object`);
}

/** The value of dataset `name` in `group`, checked against `shape`. */
function dataset(group: StoredGroup, name: string, shape: readonly number[], where: string): Float32Array {
  const d = group.get(name);
  if (!(d instanceof StoredDataset)) throw new Error(`${where}: no dataset '${name}'`);
  if (d.shape.length !== shape.length || d.shape.some((n, k) => n !== shape[k])) {
    throw new Error(`${where}/${name} has shape ${formatTuple(d.shape)}, expected ${formatTuple(shape)}`);
  }
  return Float32Array.from(d.value as ArrayLike<number>);
}

function readWeights(file: StoredGroup, model: Model, where: string): void {
  const assignments: [Variable, Float32Array][] = [];
  for (const { layer, path } of layerPaths(model)) {
    const weights = ownWeights(layer);
    if (weights.length === 0) continue;
    const group = file.get(`${path}/vars`);
    const at = `${where}: ${path}/vars (layer '${layer.name}', ${layer.className})`;
    if (!(group instanceof StoredGroup)) throw new Error(`${at}: missing; the weights do not fit this model`);
    const stored = group.keys();
    if (stored.length !== weights.length) throw new Error(`${at}: holds ${stored.length} weights, the layer has ${weights.length}`);
    weights.forEach((w, i) => assignments.push([w, dataset(group, String(i), w.shape, at)]));
  }
  for (const [variable, data] of assignments) variable.assign(data);
}

function readOptimizer(file: StoredGroup, compiled: CompiledState, where: string): void {
  const g = file.get('optimizer/vars');
  if (!(g instanceof StoredGroup)) return;
  const { optimizer, trainableWeights } = compiled;
  const wanted = optimizer.getSlots(trainableWeights).length;
  const first = leadingVars(optimizer);
  const stored = g.keys().length - first;
  if (stored !== wanted) {
    console.warn(`${where}: optimizer/vars holds ${stored} state arrays, ${optimizer.className} keeps ${wanted} for ${trainableWeights.length} weights; the optimizer starts fresh (as Keras does)`);
    return;
  }
  const step = g.get('0');
  const value = step instanceof StoredDataset ? step.value : 0;
  const iterations = Number(ArrayBuffer.isView(value) ? (value as unknown as ArrayLike<number | bigint>)[0] : value);
  if (!Number.isInteger(iterations) || iterations < 0) throw new Error(`${where}: optimizer/vars/0 should be the step count, got ${String(value)}`);
  const slots: Float32Array[] = new Array<Float32Array>(wanted);
  keras3SlotOrder(wanted, trainableWeights.length).forEach((slot, i) => {
    slots[slot] = dataset(g, String(i + first), trainableWeights[slot % trainableWeights.length]!.shape, `${where}: optimizer/vars`);
  });
  optimizer.setSlots(trainableWeights, slots);
  optimizer.iterations = iterations;
}

export interface LoadKerasArchiveOptions {
  compile?: boolean;
}

/**
 * Loads a Keras 3 `.keras` archive: the model from `config.json` (known layer classes only;
 * nothing in it runs as code), its weights, and when asked its compile state and optimizer
 * state. A missing member, a class deeptype does not know or weights that do not fit are
 * errors naming the file.
 */
export async function loadKerasArchive(path: string, options: LoadKerasArchiveOptions = {}): Promise<Model> {
  const full = resolvePath(path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(full);
  } catch (e) {
    throw new Error(`${full}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const members = readZip(bytes, full);
  const missing = MEMBERS.filter((m) => !members.has(m));
  if (missing.length > 0) throw new Error(`${full}: the archive lacks ${missing.join(', ')}; a Keras 3 .keras file holds ${MEMBERS.join(', ')}`);
  parseMember(members, 'metadata.json', full);
  const config = parseMember(members, 'config.json', full);
  const where = `${full}: config.json`;
  const weightsWhere = `${full}: model.weights.h5`;
  return viaTempFile(members.get('model.weights.h5')!, async (temp) => {
    try {
      return await withH5Read(temp, (file) => {
        const sizes = storedSizes(file);
        const model = withWeightBudget(sizes, full, () => {
          try {
            return modelFromConfig(fromKeras3(config), where);
          } catch (e) {
            throw e instanceof Error && !e.message.includes(full) ? new Error(`${where}: ${e.message}`) : e;
          }
        });
        if (!model.built) throw new Error(`${where}: the model has no input shape, so its weights cannot be placed`);
        readWeights(file, model, weightsWhere);
        // An uncompiled model's archive holds `compile_config: {}`.
        const compileConfig = config.compile_config as Record<string, unknown> | null | undefined;
        if (options.compile !== false && compileConfig && Object.keys(compileConfig).length > 0) {
          compileFromTrainingConfig(model, { optimizer_config: compileConfig.optimizer, loss: compileConfig.loss, metrics: compileConfig.metrics }, full);
          readOptimizer(file, model.compiled!, weightsWhere);
        }
        return model;
      });
    } catch (e) {
      throw e instanceof Error && e.message.includes(temp) ? new Error(e.message.replaceAll(temp, weightsWhere)) : e;
    }
  });
}

/** Every dataset under `group` with its element count, for the weight budget checked before building. */
function storedSizes(group: StoredGroup): { name: string; size: number }[] {
  return group.keys().flatMap((key) => {
    const child = group.get(key);
    if (child instanceof StoredGroup) return storedSizes(child);
    return child instanceof StoredDataset ? [{ name: child.path, size: sizeOf(child.shape) }] : [];
  });
}
