// Fuzz cases for the HDF5 loaders (run by test/io/fuzz.test.ts through test/helpers/fuzz-worker.ts):
// each seed mutates one of the Keras fixtures — bytes flipped (anywhere, or in the metadata at
// the front), the file cut short, bytes spliced, model_config and training_config JSON edited
// (absurd sizes and shapes, wrong types, unknown classes, keys removed), attributes removed or
// retyped — and loads it.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '../../src/io/load-model.js';
import { loadWeights } from '../../src/io/weights.js';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import { clearSession } from '../../src/models/naming.js';
import { type FuzzCase, flipBytes, NASTY_VALUES, Random, splice, truncate } from '../helpers/fuzz.js';
import { h5wasm as h5 } from '../helpers/h5.js';
import { FIXTURES } from '../helpers/paths.js';

const MODELS = ['k22_small_convnet.h5', 'tf2_dense_net.h5'];
const WEIGHTS = 'weights_only_by_name.h5';
const ATTRIBUTES = ['model_config', 'training_config', 'keras_version', 'backend', 'layer_names'];

/** Every [parent, key] inside a parsed JSON value, for picking one to edit. */
function slots(value: unknown, out: [Record<string, unknown>, string][] = []): [Record<string, unknown>, string][] {
  if (typeof value !== 'object' || value === null) return out;
  for (const key of Object.keys(value)) {
    out.push([value as Record<string, unknown>, key]);
    slots((value as Record<string, unknown>)[key], out);
  }
  return out;
}

/** One random edit of a JSON text: a value made nasty, a key removed, a class renamed, or the text cut. */
function editJson(text: string, rng: Random): string {
  const value = JSON.parse(text) as unknown;
  const all = slots(value);
  const pick = (): [Record<string, unknown>, string] => all[rng.int(all.length)]!;
  const kind = rng.int(6);
  for (let edits = 1 + rng.int(3); edits > 0 && all.length > 0; edits--) {
    const [parent, key] = pick();
    if (kind === 0) delete parent[key];
    else if (kind === 1) {
      const names = all.filter(([, k]) => k === 'class_name');
      const [owner] = names[rng.int(names.length)] ?? pick();
      owner.class_name = ['Lambda', 'Dense', 'Sequential', 'Conv2D', '__proto__', 'Model', ''][rng.int(7)];
    } else if (kind === 2) {
      // Sizes and shapes: where a layer's dimensions live.
      const sized = all.filter(([, k]) => /units|filters|kernel_size|pool_size|strides|batch_input_shape|rate|axis/.test(k));
      const [owner, k] = sized[rng.int(sized.length)] ?? pick();
      owner[k] = NASTY_VALUES[rng.int(NASTY_VALUES.length)];
    } else parent[key] = NASTY_VALUES[rng.int(NASTY_VALUES.length)];
  }
  const edited = JSON.stringify(value);
  return kind === 5 ? edited.slice(0, rng.int(edited.length)) : edited;
}

/** Opens a copy of a fixture at `path` for writing and runs `edit` on it. */
function editFile(fixture: string, path: string, edit: (file: InstanceType<typeof h5.File>) => void): void {
  copyFileSync(join(FIXTURES, fixture), path);
  const file = new h5.File(path, 'a');
  try {
    edit(file);
  } finally {
    file.close();
  }
}

function replaceAttribute(file: InstanceType<typeof h5.File>, name: string, value: unknown): void {
  if (Object.keys(file.attrs).includes(name)) file.delete_attribute(name);
  if (typeof value === 'string') file.create_attribute(name, value, null, 'A');
  else if (typeof value === 'number') file.create_attribute(name, value);
  else if (Array.isArray(value)) file.create_attribute(name, value.map(String), null, 'A8');
}

/** The model weights_only_by_name.h5 was written for, to load it into. */
function weightsTarget() {
  return sequential([
    layers.conv2d({ name: 'block1_conv1', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [7, 7, 3] }),
    layers.conv2d({ name: 'block1_conv2', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
    layers.maxPooling2d({ name: 'block1_pool' }),
  ]);
}

export const fuzzCase: FuzzCase = async (seed, dir) => {
  const rng = new Random(seed);
  const fixture = rng.next() < 0.8 ? MODELS[rng.int(MODELS.length)]! : WEIGHTS;
  const bytes = readFileSync(join(FIXTURES, fixture));
  const path = join(dir, `${seed}-${fixture}`);
  const kind = rng.int(8);
  if (kind === 0) writeFileSync(path, flipBytes(bytes, rng, 1 + rng.int(8)));
  // HDF5's superblock, object headers and attribute storage sit at the front of these files.
  else if (kind === 1) writeFileSync(path, flipBytes(bytes, rng, 1 + rng.int(4), 0, 4096));
  else if (kind === 2) writeFileSync(path, truncate(bytes, rng));
  else if (kind === 3) writeFileSync(path, splice(bytes, rng));
  else if (kind <= 5 && fixture !== WEIGHTS) {
    const attribute = kind === 4 ? 'model_config' : 'training_config';
    editFile(fixture, path, (file) => replaceAttribute(file, attribute, editJson(file.attrs[attribute]!.value as string, rng)));
  } else {
    const attribute = ATTRIBUTES[rng.int(ATTRIBUTES.length)]!;
    const value = rng.next() < 0.4 ? undefined : NASTY_VALUES[rng.int(NASTY_VALUES.length)];
    editFile(fixture, path, (file) => replaceAttribute(file, attribute, value));
  }
  clearSession();
  try {
    if (fixture === WEIGHTS) await loadWeights(weightsTarget(), path, { byName: true });
    else await loadModel(path);
    return { path, outcome: 'loaded' };
  } catch (error) {
    return { path, outcome: error };
  }
};
