import type { Tensor } from './tensor.js';

/**
 * Step scopes: every tensor whose storage came from the backend's allocator while a scope is
 * open is remembered, and when the scope ends the buffers nobody kept go back to the backend.
 * This is how a training step recycles its activations and gradients without the user ever
 * calling dispose: only the engine opens scopes, around code whose intermediates it owns.
 */
interface Scope {
  readonly buffers: Set<Float32Array>;
}

const scopes: Scope[] = [];

export function trackPooled(t: Tensor): void {
  const scope = scopes[scopes.length - 1];
  if (scope && t.data instanceof Float32Array) scope.buffers.add(t.data);
}

/**
 * Takes `buffer` out of the innermost scope, if that scope made it, so that the caller can give
 * it back before the scope ends. Returns whether it did.
 */
export function disown(buffer: Float32Array): boolean {
  return scopes[scopes.length - 1]?.buffers.delete(buffer) ?? false;
}

/**
 * Runs `fn` in a scope; afterwards gives every pooled buffer created inside back to `release`,
 * except the storage of the tensors in `keep(result)`. Buffers kept move to the enclosing scope.
 */
export function withScope<T>(fn: () => T, keep: (result: T) => readonly Tensor[],
  release: (buffer: Float32Array) => void): T {
  const scope: Scope = { buffers: new Set() };
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } finally {
    scopes.pop();
  }
  const kept = new Set<unknown>(keep(result).map((t) => t.data));
  const parent = scopes[scopes.length - 1];
  for (const buffer of scope.buffers) {
    if (kept.has(buffer)) parent?.buffers.add(buffer);
    else release(buffer);
  }
  return result;
}
