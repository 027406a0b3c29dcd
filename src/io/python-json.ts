/**
 * JSON spelled as Python's `json.dumps` spells it (", " and ": " separators), which is what
 * Keras stores in `model_config` and `training_config`, so the text reads like that of
 * files Keras wrote. (Whole floats lose Python's `.0`: a JS number does not know it was a float.)
 */
export function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
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
