import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Backend } from '../backend.js';
import type { NativeAddon } from './addon.js';
import { createNativeBackend } from './backend.js';

export interface NativeLoad {
  backend: Backend | null;
  /** Why there is no backend: the platform, the cause, and the command that fixes it. */
  reason: string;
}

/** Where `npm install` (node-gyp, binding.gyp at the package root) puts the addon. */
export const addonPath = fileURLToPath(new URL('../../../build/Release/deeptype_native.node', import.meta.url));

const FIX = 'run `npm rebuild deeptype` (or `node native/build.mjs` in the deeptype folder); ' +
  'it needs python3, make and a C++20 compiler (g++ 10 or clang++ 10 and later)';

let loaded: { addon: NativeAddon | null; load: NativeLoad } | null = null;

function platform(): string {
  return `${process.platform}-${process.arch}, Node ${process.version}`;
}

function load(): { addon: NativeAddon | null; load: NativeLoad } {
  if (!existsSync(addonPath)) {
    return { addon: null, load: { backend: null,
      reason: `no native kernels for ${platform()}: ${addonPath} was not built at install time; to build it, ${FIX}` } };
  }
  try {
    const addon = createRequire(import.meta.url)(addonPath) as NativeAddon;
    return { addon, load: { backend: createNativeBackend(addon), reason: '' } };
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { addon: null, load: { backend: null,
      reason: `the native kernels at ${addonPath} do not load on ${platform()} (${why}); to rebuild them, ${FIX}` } };
  }
}

/** The native backend, loaded once; `reason` says why not when it cannot load. */
export function loadNativeBackend(): NativeLoad {
  loaded ??= load();
  return loaded.load;
}

/** The raw addon (tests switch its micro-kernels; benchmarks report its threads), or null. */
export function nativeAddon(): NativeAddon | null {
  loaded ??= load();
  return loaded.addon;
}
