import { Functional, type FunctionalArgs } from './functional.js';
import type { Layer, LayerArgs } from './layer.js';
import type { SymbolicTensor } from './symbolic.js';
import { Sequential } from './sequential.js';

/**
 * A linear stack of layers: `sequential([layers.conv2d(...), ...])`, or empty then `.add(...)`.
 * @example
 * const model = sequential([layers.dense({ units: 1, activation: 'sigmoid', inputShape: [4] })]);
 */
export function sequential(layers: readonly Layer[] = [], args: LayerArgs = {}): Sequential {
  return new Sequential(layers, args);
}

/**
 * A functional model from symbolic tensors made with `input()` and `layer.apply()`.
 * @example
 * const x = input({ shape: [8, 8, 3] });
 * const a = layers.conv2d({ filters: 4, kernelSize: 1 }).apply(x);
 * const b = layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(x);
 * const m = model({ inputs: x, outputs: layers.concatenate().apply([a, b]) });
 * const both = model({ inputs: x, outputs: [a, b] });   // predict gives [a's, b's]
 */
export function model(args: FunctionalArgs & { outputs: SymbolicTensor }): Functional<false>;
export function model(args: FunctionalArgs & { outputs: readonly SymbolicTensor[] }): Functional<true>;
export function model(args: FunctionalArgs): Functional<boolean> {
  return new Functional<boolean>(args);
}
