import { h5LayoutOf } from '../optimizers/index.js';
import type { CompiledState } from '../training/compile.js';
import { childGroup, type File, nameListAttribute, StoredDataset, type StoredGroup } from './h5.js';
import type { KerasH5Writer } from './keras-h5-writer.js';
import { formatTuple } from './weights-matching.js';

/**
 * Writes `/optimizer_weights` as Keras 2.2.4 lays it out (the optimizer table's `h5` layout),
 * once the optimizer has state (Keras writes the group only after the first update): SGD
 * [iterations, moments…] (zeros when there is no momentum), Adam and AdamW [iterations, m…, v…,
 * vhat…] (vhats are (1,) dummies without amsgrad), RMSprop [accumulators…]. K22's RMSprop does
 * not save its step count; deeptype keeps it in an `iterations` attribute of the group, which
 * Keras ignores, so decay resumes correctly.
 */
export function writeOptimizerWeights(file: File, compiled: CompiledState, writer: KerasH5Writer): void {
  const optimizer = compiled.optimizer;
  if (optimizer.iterations === 0) return;
  const layout = h5LayoutOf(optimizer);
  const weights = compiled.trainableWeights;
  const arrays = optimizer.getSlots(weights).map((data, i) => ({ data, shape: weights[i % weights.length]!.shape }));
  if (layout.placeholders === 'zeros' && arrays.length === 0) arrays.push(...weights.map((w) => ({ data: new Float32Array(w.value.size), shape: w.shape })));
  if (layout.placeholders === 'scalars') arrays.push(...weights.map(() => ({ data: new Float32Array(1), shape: [1] as readonly number[] })));
  const prefix = `training/${optimizer.className}`;
  const names = arrays.map((_, i) => `${prefix}/Variable${i === 0 ? '' : `_${i}`}:0`);
  const group = file.create_group('optimizer_weights');
  const savesIterations = layout.stepCount;
  const allNames = savesIterations ? [`${optimizer.className}/iterations:0`, ...names] : names;
  writer.names(group, 'weight_names', allNames);
  if (savesIterations) writer.int64Scalar(group, allNames[0]!, optimizer.iterations);
  else group.create_attribute('iterations', new BigInt64Array([BigInt(optimizer.iterations)]), [], '<q');
  names.forEach((name, i) => writer.float32(group, name, arrays[i]!.data, arrays[i]!.shape));
}

interface StoredArray {
  name: string;
  shape: readonly number[];
  dataset: StoredDataset;
}

/**
 * Restores the optimizer's step count and slots from `/optimizer_weights` (K22 or TF2 order:
 * step count first, then slot kind by slot kind). As in Keras, state that does not fit the
 * model is a warning, and training starts with a fresh optimizer.
 */
export function restoreOptimizerWeights(file: StoredGroup, compiled: CompiledState, path: string): void {
  const group = childGroup(file, 'optimizer_weights');
  if (!group) return;
  const where = `${path}: optimizer_weights`;
  const names = nameListAttribute(group, 'weight_names', where) ?? [];
  const arrays: StoredArray[] = names.map((name) => {
    const dataset = group.get(name);
    if (!(dataset instanceof StoredDataset)) throw new Error(`${where}: '${name}' is listed in weight_names but is not a dataset`);
    return { name, shape: dataset.shape, dataset };
  });
  const optimizer = compiled.optimizer;
  const weights = compiled.trainableWeights;
  let iterations = readIterations(group, arrays, where);
  // Keras 3 follows its step count with the rate (absent under a schedule), which training_config holds too.
  const counted = (isStepCount(arrays[0]) ? arrays.slice(1) : arrays).filter((a) => !/\/learning_rate$/.test(a.name));
  const perKind = weights.length;
  const wanted = optimizer.getSlots(weights).length;
  // K22 stores extra arrays deeptype does not keep: Adam's vhat dummies, SGD's zero moments.
  const kept = counted.length === wanted + perKind && h5LayoutOf(optimizer).placeholders !== null ? counted.slice(0, wanted) : counted;
  const keras3 = isStepCount(arrays[0]) && arrays[0]!.name.endsWith('/iteration');
  const slots = keras3 && kept.length === wanted ? reorderKeras3(kept, perKind) : kept;
  const problem = slots.length !== wanted
    ? `expected ${wanted} slot arrays for ${perKind} trainable weights, found ${slots.length}`
    : slots.map((s, i) => {
      const expected = weights[i % perKind]!.shape;
      const dtype = String(s.dataset.dtype);
      if (dtype !== '<f') return `'${s.name}' is stored as ${dtype}, expected float32`;
      return expected.length === s.shape.length && expected.every((d, k) => d === s.shape[k]) ? null
        : `'${s.name}' has shape ${formatTuple(s.shape)}, expected ${formatTuple(expected)}`;
    }).find((p) => p !== null) ?? null;
  if (problem !== null) {
    console.warn(`${where}: ${problem}; the optimizer starts fresh (as Keras does when its saved state does not fit)`);
    return;
  }
  const values = slots.map((s) => s.dataset.value as Float32Array);
  optimizer.setSlots(weights, values);
  optimizer.iterations = iterations;
}

function readIterations(group: StoredGroup, arrays: readonly StoredArray[], where: string): number {
  const value = isStepCount(arrays[0]) ? arrays[0]!.dataset.value
    : Object.keys(group.attrs).includes('iterations') ? group.attribute('iterations') : 0;
  const scalar = ArrayBuffer.isView(value) ? (value as unknown as ArrayLike<number | bigint>)[0] : value;
  const n = Number(scalar);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${where}: the step count should be a whole number, got ${String(scalar)}`);
  return n;
}

/** K22 names the step count `Adam/iterations:0`, TF2 `Adam/iter:0`, Keras 3 `adam/iteration`. */
function isStepCount(array: StoredArray | undefined): boolean {
  return array !== undefined && (/iter(ations)?:0$/.test(array.name) || /\/iteration$/.test(array.name));
}

/**
 * Keras 3 keeps an optimizer's state weight by weight (m and v of the first weight, then of the
 * second), deeptype's getSlots kind by kind: entry i of Keras 3's order is getSlots' entry [i].
 */
export function keras3SlotOrder(slotCount: number, weightCount: number): number[] {
  const kinds = weightCount === 0 ? 0 : slotCount / weightCount;
  return Array.from({ length: slotCount }, (_, i) => (i % kinds) * weightCount + Math.floor(i / kinds));
}

function reorderKeras3<T>(stored: readonly T[], weightCount: number): T[] {
  const out = new Array<T>(stored.length);
  keras3SlotOrder(stored.length, weightCount).forEach((slot, i) => (out[slot] = stored[i]!));
  return out;
}
