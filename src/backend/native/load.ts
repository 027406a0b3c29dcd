import type { Backend } from '../backend.js';

export interface NativeLoad {
  backend: Backend | null;
  reason: string;
}

/** Placeholder until the native addon lands: reports why no native backend is available. */
export function loadNativeBackend(): NativeLoad {
  return { backend: null, reason: 'the native addon is not part of this build yet' };
}
