import { getProfile } from '../config.js';

const counters = new Map<string, number>();
const taken = new Set<string>();

/** Keras's snake case: Conv2D → conv2d, MaxPooling2D → max_pooling2d, GlobalAveragePooling2D → global_average_pooling2d. */
export function toSnakeCase(className: string): string {
  return className
    .replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * The next automatic name for a prefix, counted per prefix for the whole session:
 * K22 starts at `_1` (conv2d_1, conv2d_2); TF2 starts with the bare prefix (conv2d, conv2d_1).
 * `input` layers count from 1 in both profiles, as Keras does.
 */
export function uniqueName(prefix: string): string {
  const oneBased = getProfile() === 'K22' || prefix === 'input';
  for (;;) {
    const n = counters.get(prefix) ?? 0;
    counters.set(prefix, n + 1);
    const index = oneBased ? n + 1 : n;
    const name = index === 0 ? prefix : `${prefix}_${index}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

/** Records an explicit name so the generator skips it. */
export function reserveName(name: string): void {
  taken.add(name);
}

/** Forgets every counter, like `k_clear_session()`. */
export function clearSession(): void {
  counters.clear();
  taken.clear();
}
