import { pythonFloat } from '../tensor/print.js';

/**
 * A number Python holds as a float: written `1.0`, not `1`. JSON cannot tell 1.0 from 1, but
 * Keras's text does, so values that were floats in Keras (initializer scales, optimizer
 * settings) are wrapped in this to be written the same way.
 */
export class PythonFloat {
  constructor(readonly value: number) {}
}

/** A float as Python's json.dumps writes it: repr, with JSON's NaN and Infinity. */
function floatRepr(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  return pythonFloat(v);
}

/**
 * JSON spelled as Python's `json.dumps` spells it (", " and ": " separators, float repr), which
 * is what Keras stores in `model_config` and `training_config`, so deeptype's text matches
 * that of files Keras wrote.
 */
export function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof PythonFloat) return floatRepr(value.value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : floatRepr(value);
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

/** Parses a JSON attribute, naming the file and attribute when it is not valid JSON or not an object. */
export function parseJsonAttribute(text: string, file: string, attribute: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: attribute '${attribute}' is not valid JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file}: attribute '${attribute}' should hold a JSON object, got ${text.slice(0, 60)}`);
  }
  return parsed as Record<string, unknown>;
}
