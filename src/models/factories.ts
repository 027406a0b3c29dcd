import type { Layer, LayerArgs } from './layer.js';
import { Sequential } from './sequential.js';

/**
 * A linear stack of layers: `sequential([layers.conv2d(...), ...])`, or empty then `.add(...)`.
 * @example
 * const model = sequential([layers.dense({ units: 1, activation: 'sigmoid', inputShape: [4] })]);
 */
export function sequential(layers: readonly Layer[] = [], args: LayerArgs = {}): Sequential {
  return new Sequential(layers, args);
}
