import { createRequire } from 'node:module';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../package-root.js';
import type { Backend } from '../backend.js';
import type { NativeAddon } from './addon.js';
import { createNativeBackend } from './backend.js';
import { elfProblem } from './elf.js';

export interface NativeLoad {
  backend: Backend | null;
  /** Why there is no backend: the platform, the file or its absence, and the command that fixes it. */
  reason: string;
  /** Why a loaded backend runs slower than this architecture allows (a CPU without the SIMD it needs), or ''. */
  note: string;
}

/** The SIMD each architecture's fast kernels need; a CPU without it gets the portable scalar kernels. */
const FAST_ISA: Record<string, string> = { x64: 'AVX2 with FMA', arm64: 'NEON' };

function scalarNote(addon: NativeAddon): string {
  const wanted = FAST_ISA[process.arch];
  if (!wanted || addon.isa() !== 'scalar' || process.env.DEEPTYPE_ISA === 'scalar') return '';
  return `this CPU has no ${wanted} (SIMD features found: ${addon.cpuFeatures().join(', ') || 'none'}); ` +
    'the native kernels run their portable scalar path, several times slower';
}

const require = createRequire(import.meta.url);

/**
 * node-gyp-build picks the addon: a local build (build/Release, made at install where no prebuilt
 * binary matched, or by a developer), else the prebuilt binary in prebuilds/ for this platform,
 * architecture and libc.
 */
const nodeGypBuild = require('node-gyp-build') as { path(dir: string): string };

const FIX = 'run `npm rebuild deeptype` (or `node native/build.mjs` in the deeptype folder) to compile them; ' +
  'it needs python3, make and a C++20 compiler (g++ 10 or clang++ 10 and later)';

type Loaded = { addon: NativeAddon | null; load: NativeLoad };

let loaded: Loaded | null = null;

const unloaded = (reason: string): Loaded => ({ addon: null, load: { backend: null, reason, note: '' } });

function platform(): string {
  return `${process.platform}-${process.arch}, Node ${process.version}`;
}

const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim();

/** Loads the addon at `path`; a file that does not load (truncated, another architecture) is reported, never thrown. */
export function loadAddonFrom(path: string): Loaded {
  try {
    const problem = elfProblem(path);
    if (problem) throw new Error(problem);
    const addon = require(path) as NativeAddon;
    return { addon, load: { backend: createNativeBackend(addon), reason: '', note: scalarNote(addon) } };
  } catch (err) {
    return unloaded(`the native kernels at ${path} do not load on ${platform()} (${firstLine(err)}); to replace them, ${FIX}`);
  }
}

/** The platform-architecture folders of prebuilds/ ('linux-x64', …). */
function prebuiltPlatforms(): string[] {
  try {
    return readdirSync(join(packageRoot, 'prebuilds'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

function load(): Loaded {
  let path: string;
  try {
    path = nodeGypBuild.path(packageRoot);
  } catch {
    return unloaded(`no native kernels for ${platform()}: the package's prebuilt ones are for ` +
      `${prebuiltPlatforms().join(', ') || 'no platform'} and none were compiled at install; ${FIX}`);
  }
  return loadAddonFrom(path);
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
