/** 'binary_crossentropy' / 'binaryCrossentropy' / 'BinaryCrossentropy' → 'binarycrossentropy'. */
const key = (name: string): string => name.replace(/_/g, '').toLowerCase();

/** Keras spelling of a camelCase name: binaryCrossentropy → binary_crossentropy. */
export const toKerasName = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** Looks a name up in camelCase or snake_case; an unknown one is an error listing the valid names. */
export function resolveName<T>(name: string, table: Record<string, T>, kind: string): T {
  const found = Object.entries(table).find(([k]) => key(k) === key(name));
  if (!found) {
    const valid = Object.keys(table).map(toKerasName).join(', ');
    throw new Error(`unknown ${kind} '${name}'; valid names are ${valid} (camelCase works too)`);
  }
  return found[1];
}
