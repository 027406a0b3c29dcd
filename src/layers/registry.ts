import type { InitializerName } from '../models/initializers.js';
import type { Layer, LayerArgs, LayerConfig } from '../models/layer.js';
import { Activation } from './activation.js';
import { Conv2D } from './conv2d.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { Flatten } from './flatten.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from './global-pooling2d.js';
import { Add, Concatenate } from './merge.js';
import { AveragePooling2D, MaxPooling2D } from './pooling2d.js';

/** Builds a layer from its Keras JSON config (snake_case keys); `where` prefixes errors. */
export type LayerFromConfig = (config: LayerConfig, where: string) => Layer;

/**
 * Keras class name → constructor from config: the closed list of layers a saved model may
 * contain. Loading looks classes up here and nowhere else, so a file cannot make us run code
 * (there is no Lambda layer).
 */
export const LAYER_CLASSES: Readonly<Record<string, LayerFromConfig>> = {
  Conv2D: (c, where) => {
    expect(c, 'data_format', ['channels_last', null, undefined], where);
    expectPair(c, 'dilation_rate', 1, where);
    return new Conv2D({ ...common(c, where), ...weighted(c, where), filters: num(c, 'filters', where),
      kernelSize: pairOf(c, 'kernel_size', where), strides: pairOf(c, 'strides', where, 1),
      padding: str(c, 'padding', where, 'valid') as 'valid' | 'same' });
  },
  Dense: (c, where) => new Dense({ ...common(c, where), ...weighted(c, where), units: num(c, 'units', where) }),
  MaxPooling2D: (c, where) => new MaxPooling2D(pooling(c, where)),
  AveragePooling2D: (c, where) => new AveragePooling2D(pooling(c, where)),
  Flatten: (c, where) => new Flatten(common(c, where)),
  Dropout: (c, where) => {
    expect(c, 'noise_shape', [null, undefined], where);
    const seed = c.seed;
    return new Dropout({ ...common(c, where), rate: num(c, 'rate', where),
      ...(typeof seed === 'number' ? { seed } : {}) });
  },
  Activation: (c, where) => new Activation({ ...common(c, where), activation: str(c, 'activation', where) as never }),
  GlobalAveragePooling2D: (c, where) => new GlobalAveragePooling2D(common(c, where)),
  GlobalMaxPooling2D: (c, where) => new GlobalMaxPooling2D(common(c, where)),
  Concatenate: (c, where) => new Concatenate({ ...common(c, where), axis: num(c, 'axis', where, -1) }),
  Add: (c, where) => new Add(common(c, where)),
};

/** The layer for a `{class_name, config}` entry; an unknown class is an error listing the known ones. */
export function layerFromConfig(className: string, config: LayerConfig, where: string): Layer {
  const build = Object.hasOwn(LAYER_CLASSES, className) ? LAYER_CLASSES[className] : undefined;
  if (!build) {
    throw new Error(`${where}: unknown layer class '${className}'; deeptype can load ${Object.keys(LAYER_CLASSES).join(', ')}`);
  }
  try {
    return build(config, `${where} (${className})`);
  } catch (e) {
    const message = (e as Error).message;
    throw new Error(message.startsWith(where) ? message : `${where} (${className}): ${message}`);
  }
}

/** name, trainable and, on a first layer, batch_input_shape → inputShape. */
function common(c: LayerConfig, where: string): LayerArgs {
  const args: LayerArgs = {};
  if (c.name !== undefined) args.name = str(c, 'name', where);
  if (c.trainable !== undefined) args.trainable = bool(c, 'trainable', where);
  const shape = c.batch_input_shape;
  if (shape !== undefined && shape !== null) {
    if (!Array.isArray(shape) || shape.slice(1).some((d) => !Number.isInteger(d))) {
      throw new Error(`${where}: batch_input_shape should be [null, d1, d2, …] with known sizes, got ${JSON.stringify(shape)}`);
    }
    args.inputShape = shape.slice(1) as number[];
  }
  return args;
}

/** activation, use_bias, initializers; regularizers and constraints deeptype does not have must be null. */
function weighted(c: LayerConfig, where: string) {
  for (const key of ['kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint']) {
    if (c[key] !== undefined && c[key] !== null) throw new Error(`${where}: ${key} is not supported, got ${JSON.stringify(c[key])}`);
  }
  return {
    activation: str(c, 'activation', where, 'linear') as never,
    useBias: c.use_bias === undefined ? true : bool(c, 'use_bias', where),
    kernelInitializer: initializer(c, 'kernel_initializer', where, 'glorotUniform'),
    biasInitializer: initializer(c, 'bias_initializer', where, 'zeros'),
  };
}

function pooling(c: LayerConfig, where: string) {
  expect(c, 'data_format', ['channels_last', null, undefined], where);
  return { ...common(c, where), poolSize: pairOf(c, 'pool_size', where, 2),
    strides: c.strides === null || c.strides === undefined ? null : pairOf(c, 'strides', where),
    padding: str(c, 'padding', where, 'valid') as 'valid' | 'same' };
}

const VARIANCE_SCALING: Record<string, InitializerName> = {
  '1,fan_avg,uniform': 'glorotUniform', '1,fan_avg,normal': 'glorotNormal', '1,fan_avg,truncated_normal': 'glorotNormal',
  '2,fan_in,uniform': 'heUniform', '2,fan_in,normal': 'heNormal', '2,fan_in,truncated_normal': 'heNormal',
};
const NAMED: Record<string, InitializerName> = {
  glorotuniform: 'glorotUniform', glorotnormal: 'glorotNormal', heuniform: 'heUniform', henormal: 'heNormal',
  zeros: 'zeros', zero: 'zeros', ones: 'ones', one: 'ones',
};

/**
 * Keras writes initializers as names ('glorot_uniform'), as classes (TF2 `GlorotUniform`) or,
 * in K22, as the `VarianceScaling` they are made of; all map onto deeptype's names.
 */
function initializer(c: LayerConfig, key: string, where: string, fallback: InitializerName): InitializerName {
  const value = c[key];
  if (value === undefined || value === null) return fallback;
  const entry = typeof value === 'string' ? { class_name: value, config: {} } : value as { class_name?: unknown; config?: Record<string, unknown> };
  const className = String(entry.class_name ?? '');
  const config = entry.config ?? {};
  const found = className === 'VarianceScaling'
    ? VARIANCE_SCALING[`${Number(config.scale)},${String(config.mode)},${String(config.distribution)}`]
    : NAMED[className.replace(/_/g, '').toLowerCase()];
  if (!found) throw new Error(`${where}: ${key} ${JSON.stringify(value)} is not supported; expected glorot/he uniform or normal, zeros or ones`);
  return found;
}

function num(c: LayerConfig, key: string, where: string, fallback?: number): number {
  if (c[key] === undefined && fallback !== undefined) return fallback;
  if (typeof c[key] !== 'number') throw new Error(`${where}: '${key}' should be a number, got ${JSON.stringify(c[key])}`);
  return c[key] as number;
}

function str(c: LayerConfig, key: string, where: string, fallback?: string): string {
  if (c[key] === undefined && fallback !== undefined) return fallback;
  if (typeof c[key] !== 'string') throw new Error(`${where}: '${key}' should be a string, got ${JSON.stringify(c[key])}`);
  return c[key] as string;
}

function bool(c: LayerConfig, key: string, where: string): boolean {
  if (typeof c[key] !== 'boolean') throw new Error(`${where}: '${key}' should be true or false, got ${JSON.stringify(c[key])}`);
  return c[key] as boolean;
}

function pairOf(c: LayerConfig, key: string, where: string, fallback?: number): [number, number] {
  const v = c[key] ?? fallback;
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((d) => typeof d === 'number')) return [v[0], v[1]];
  throw new Error(`${where}: '${key}' should be a number or a pair of numbers, got ${JSON.stringify(c[key])}`);
}

function expect(c: LayerConfig, key: string, allowed: readonly unknown[], where: string): void {
  if (!allowed.includes(c[key])) {
    throw new Error(`${where}: ${key} ${JSON.stringify(c[key])} is not supported; expected ${allowed.filter((a) => a !== undefined).map((a) => JSON.stringify(a)).join(' or ')}`);
  }
}

function expectPair(c: LayerConfig, key: string, value: number, where: string): void {
  const v = c[key];
  if (v !== undefined && !(v === value || (Array.isArray(v) && v.every((d) => d === value)))) {
    throw new Error(`${where}: ${key} ${JSON.stringify(v)} is not supported; expected ${value}`);
  }
}
