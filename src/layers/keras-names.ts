import type { InitializerName } from '../models/initializers.js';

/** A Keras JSON object: `{class_name, config}`. */
export interface KerasObject {
  class_name: string;
  config: Record<string, unknown>;
}

const INITIALIZER_CLASSES: Record<InitializerName, string> = {
  glorotUniform: 'GlorotUniform', glorotNormal: 'GlorotNormal', heUniform: 'HeUniform',
  heNormal: 'HeNormal', zeros: 'Zeros', ones: 'Ones',
};

/** An initializer as tf.keras and Keras 3 write it: `{class_name: 'GlorotUniform', config: {seed: null}}`. */
export function initializerToKeras(name: InitializerName): KerasObject {
  return { class_name: INITIALIZER_CLASSES[name], config: name === 'zeros' || name === 'ones' ? {} : { seed: null } };
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
export function initializerFromKeras(value: unknown, where: string): InitializerName {
  const entry = typeof value === 'string' ? { class_name: value, config: {} } : value as { class_name?: unknown; config?: Record<string, unknown> };
  const className = String(entry?.class_name ?? '');
  const config = entry?.config ?? {};
  const found = className === 'VarianceScaling'
    ? VARIANCE_SCALING[`${Number(config.scale)},${String(config.mode)},${String(config.distribution)}`]
    : NAMED[className.replace(/_/g, '').toLowerCase()];
  if (!found) throw new Error(`${where} ${JSON.stringify(value)} is not supported; expected glorot/he uniform or normal, zeros or ones`);
  return found;
}

/** The regularizer, activity-regularizer and constraint keys Keras writes beside a kernel and bias. */
export const KERNEL_NULL_KEYS = ['kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint'] as const;

/** `keys` → null, as Keras writes the regularizers and constraints deeptype does not have. */
export function nullEntries(keys: readonly string[]): Record<string, null> {
  return Object.fromEntries(keys.map((k) => [k, null]));
}
