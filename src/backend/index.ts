import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';
import { loadNativeBackend } from './native/load.js';

export type BackendName = 'js' | 'native';
export type { Backend } from './backend.js';

let current: Backend | null = null;

function create(name: BackendName, strict: boolean): Backend {
  if (name === 'js') return jsBackend;
  const loaded = loadNativeBackend();
  if (loaded.backend) {
    if (loaded.note) console.warn(`deeptype: ${loaded.note}`);
    return loaded.backend;
  }
  if (strict) throw new Error(`setBackend('native'): ${loaded.reason}`);
  console.warn(`deeptype: using the js backend because the native kernels could not load: ${loaded.reason}`);
  return jsBackend;
}

/** The backend every op runs on: `DEEPTYPE_BACKEND=js|native`, else native when it loads. */
export function getBackend(): Backend {
  if (current) return current;
  const requested = process.env.DEEPTYPE_BACKEND;
  if (requested !== undefined && requested !== 'js' && requested !== 'native') {
    throw new Error(`DEEPTYPE_BACKEND must be 'js' or 'native', got '${requested}'`);
  }
  current = create(requested ?? 'native', requested === 'native');
  return current;
}

/** Switches every later op to another backend; throws if 'native' cannot load. */
export function setBackend(name: BackendName): void {
  if (name !== 'js' && name !== 'native') throw new Error(`setBackend: expected 'js' or 'native', got '${String(name)}'`);
  current = create(name, true);
}

export function backendName(): string {
  return getBackend().name;
}
