import type { Layer } from './layer.js';
import type { Model } from './model.js';

/** A layer by name, the layer itself, or its 1-based position in `model.layers` (input layer included), as in R. */
export type LayerRef = string | number | Layer;

export interface FreezeRange {
  from?: LayerRef;
  to?: LayerRef;
}

function position(model: Model, ref: LayerRef, which: 'from' | 'to'): number {
  const layers = model.layers;
  const index = typeof ref === 'number' ? ref - 1 : typeof ref === 'string'
    ? layers.findIndex((l) => l.name === ref) : layers.indexOf(ref);
  if (index < 0 || index >= layers.length || !Number.isInteger(index)) {
    const what = typeof ref === 'object' ? `layer ${ref.name}` : typeof ref === 'number' ? `index ${ref}` : `'${ref}'`;
    throw new Error(`${which}: ${what} is not a layer of ${model.name} (1-based indices 1..${layers.length}; ` +
      `names ${layers.map((l) => l.name).join(', ')})`);
  }
  return index;
}

/** Sets every layer's flag: `inside` for layers in [from, to], the opposite for the rest. */
function setRange(model: Model, range: FreezeRange, inside: boolean): void {
  const first = range.from === undefined ? 0 : position(model, range.from, 'from');
  const last = range.to === undefined ? model.layers.length - 1 : position(model, range.to, 'to');
  model.layers.forEach((layer, i) => (layer.trainable = i >= first && i <= last ? inside : !inside));
}

/**
 * R keras's `freeze_weights`: without a range, freezes the whole model (its own flag); with
 * `from`/`to`, keeps the model trainable, freezes the layers in the range and unfreezes the
 * others. Unlike R, an unknown layer is an error, never a silent freeze of everything.
 * Compile again afterwards: the optimizer's weight list is taken at compile time.
 * @example freezeWeights(convBase);
 */
export function freezeWeights(model: Model, range: FreezeRange = {}): Model {
  if (range.from === undefined && range.to === undefined) {
    model.trainable = false;
    return model;
  }
  model.trainable = true;
  setRange(model, range, false);
  return model;
}

/**
 * R keras's `unfreeze_weights`: makes the model trainable; with `from`/`to`, only the layers in
 * the range are trainable and the others are frozen.
 * @example unfreezeWeights(convBase, { from: 'block5_conv1' });
 */
export function unfreezeWeights(model: Model, range: FreezeRange = {}): Model {
  model.trainable = true;
  if (range.from !== undefined || range.to !== undefined) setRange(model, range, true);
  return model;
}
