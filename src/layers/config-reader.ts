import type { InitializerName } from '../models/initializers.js';
import type { LayerArgs, LayerConfig } from '../models/layer.js';
import { initializerFromKeras } from './keras-names.js';

/**
 * One layer's Keras JSON config (snake_case keys) being read back into constructor arguments.
 * Every error starts with `where` (file, model and layer), names the key and shows what was found.
 */
export class KerasConfig {
  constructor(readonly config: LayerConfig, readonly where: string) {}

  private fail(key: string, expected: string): never {
    throw new Error(`${this.where}: '${key}' should be ${expected}, got ${JSON.stringify(this.config[key])}`);
  }

  has(key: string): boolean {
    return this.config[key] !== undefined && this.config[key] !== null;
  }

  /** name, trainable and, on a first layer, batch_input_shape → inputShape. */
  layerArgs(): LayerArgs {
    const args: LayerArgs = {};
    if (this.config.name !== undefined) args.name = this.str('name');
    if (this.config.trainable !== undefined) args.trainable = this.bool('trainable');
    const shape = this.config.batch_input_shape;
    if (shape !== undefined && shape !== null) {
      if (!Array.isArray(shape) || shape.slice(1).some((d) => !Number.isInteger(d))) {
        this.fail('batch_input_shape', '[null, d1, d2, …] with known sizes');
      }
      args.inputShape = shape.slice(1) as number[];
    }
    return args;
  }

  num(key: string, fallback?: number): number {
    const v = this.config[key];
    if ((v === undefined || v === null) && fallback !== undefined) return fallback;
    return typeof v === 'number' ? v : this.fail(key, 'a number');
  }

  /** A number, or null where Keras allows None (ReLU's max_value). */
  numOrNull(key: string): number | null {
    return this.has(key) ? this.num(key) : null;
  }

  str<T extends string = string>(key: string, fallback?: T): T {
    const v = this.config[key];
    if (v === undefined && fallback !== undefined) return fallback;
    return typeof v === 'string' ? v as T : this.fail(key, 'a string');
  }

  bool(key: string, fallback?: boolean): boolean {
    const v = this.config[key];
    if (v === undefined && fallback !== undefined) return fallback;
    return typeof v === 'boolean' ? v : this.fail(key, 'true or false');
  }

  /** Keras's `3` or `[3, 3]` as a pair. */
  pair(key: string, fallback?: number): [number, number] {
    const v = this.config[key] ?? fallback;
    if (typeof v === 'number') return [v, v];
    if (Array.isArray(v) && v.length === 2 && v.every((d) => typeof d === 'number')) return [v[0], v[1]];
    return this.fail(key, 'a number or a pair of numbers');
  }

  /** A list of integers (Reshape's target_shape, Permute's dims). */
  ints(key: string): number[] {
    const v = this.config[key];
    return Array.isArray(v) && v.every((d) => Number.isInteger(d)) ? v as number[] : this.fail(key, 'a list of integers');
  }

  /** A key whose only supported values are `allowed` (undefined: the key may be absent). */
  oneOf(key: string, allowed: readonly unknown[]): void {
    if (!allowed.includes(this.config[key])) {
      this.fail(key, allowed.filter((a) => a !== undefined).map((a) => JSON.stringify(a)).join(' or '));
    }
  }

  /** A pair-valued key deeptype supports only at `value` (dilation_rate 1). */
  pairIs(key: string, value: number): void {
    const v = this.config[key];
    if (v !== undefined && !(v === value || (Array.isArray(v) && v.every((d) => d === value)))) {
      throw new Error(`${this.where}: ${key} ${JSON.stringify(v)} is not supported; expected ${value}`);
    }
  }

  /** Regularizers and constraints: deeptype has none, so a file may only hold null for them. */
  nulls(keys: readonly string[]): void {
    for (const key of keys) if (this.has(key)) throw new Error(`${this.where}: ${key} is not supported, got ${JSON.stringify(this.config[key])}`);
  }

  initializer(key: string, fallback: InitializerName): InitializerName {
    return this.has(key) ? initializerFromKeras(this.config[key], `${this.where}: ${key}`) : fallback;
  }

  /** Keras's `data_format`: deeptype is channels-last only. */
  channelsLast(): void {
    this.oneOf('data_format', ['channels_last', null, undefined]);
  }
}
