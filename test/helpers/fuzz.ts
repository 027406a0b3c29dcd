// A seeded fuzzer for the file loaders. Cases run in a child process (fuzz-worker.ts), one seed
// each: an abort, a hang or a memory blow-up there names the seed that caused it instead of
// taking the test runner down, and every case is checked to end in a clear error or a result.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Random } from '../../src/tensor/random.js';
import { REPO } from './paths.js';

export { Random };

/** One fuzz case: a mutated file and the loader run on it, given its seed. */
export type FuzzCase = (seed: number, dir: string) => Promise<{ path: string; outcome: unknown }>;

/** Why a loader's outcome is not acceptable, or null when it is a result or a clear error about `path`. */
export function judge(outcome: unknown, path: string): string | null {
  if (!(outcome instanceof Error)) return null;
  const { name, message } = outcome;
  if (name === 'TypeError' || name === 'ReferenceError' || name === 'SyntaxError') return `${name}: ${message}`;
  if (/Maximum call stack|Invalid typed array length|HDF5-DIAG|'undefined'|\[object Object\]/.test(message)) return `unclear: ${message}`;
  if (message.includes('\n')) return `more than one line: ${message.slice(0, 300)}`;
  if (!message.includes(path)) return `does not name the file: ${message}`;
  return null;
}

/** `count` random bytes of `bytes` (from `from` on) XORed with random non-zero values. */
export function flipBytes(bytes: Buffer, rng: Random, count: number, from = 0, to = bytes.length): Buffer {
  const out = Buffer.from(bytes);
  for (let i = 0; i < count; i++) out[from + rng.int(Math.max(1, to - from))] ^= 1 + rng.int(255);
  return out;
}

/** The first bytes of `bytes`, cut at a random offset. */
export function truncate(bytes: Buffer, rng: Random): Buffer {
  return bytes.subarray(0, rng.int(bytes.length));
}

/** A random slice of `bytes` copied over another place, or random bytes spliced in. */
export function splice(bytes: Buffer, rng: Random): Buffer {
  const at = rng.int(bytes.length);
  if (rng.next() < 0.5) {
    const from = rng.int(bytes.length);
    const length = 1 + rng.int(64);
    return Buffer.concat([bytes.subarray(0, at), bytes.subarray(from, from + length), bytes.subarray(at + length)]);
  }
  return Buffer.concat([bytes.subarray(0, at), Buffer.from(Array.from({ length: 1 + rng.int(32) }, () => rng.int(256))), bytes.subarray(at)]);
}

/** Values that break assumptions: limits, wrong types, absurd sizes. */
export const NASTY_VALUES: readonly unknown[] = [
  -1, 0, 1.5, 1e6, 2e9, 2 ** 31, 2 ** 53, 1e300, -1e300, 'NaN', '', 'a'.repeat(1000), null, [], {}, true, [1e9, 1e9], [null, 1e5, 1e5, 3],
];

export interface FuzzSummary {
  cases: number;
  /** Seeds whose outcome was not a result or a clear error, with why. */
  failures: { seed: number; why: string }[];
  /** The slowest case, in milliseconds, and its seed. */
  slowest: { seed: number; ms: number };
  /** Peak resident memory of the worker, in MiB. */
  maxRssMiB: number;
}

/**
 * Runs `count` cases of `module`'s exported `fuzzCase` from `seed` on (and the `regressions`
 * first) in a child process with `env` added, within `timeoutMs`. An abort or a hang is
 * reported with the last seed the child started.
 */
export function fuzzInChild(module: string, seed: number, count: number, regressions: readonly number[],
  timeoutMs: number, env: Record<string, string> = {}): { summary: FuzzSummary | null; problem: string | null } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'test', 'helpers', 'fuzz-worker.ts'), module, String(seed),
    String(count), regressions.join(',')], { cwd: REPO, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 2 ** 20,
    env: { ...process.env, ...env } });
  const lines = r.stdout.trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  if (r.status === 0 && last.startsWith('{')) return { summary: JSON.parse(last) as FuzzSummary, problem: null };
  const started = [...lines].reverse().find((l) => l.startsWith('seed '));
  const how = r.error ? `did not finish in ${timeoutMs} ms` : `ended with ${r.signal ?? `status ${r.status}`}`;
  return { summary: null, problem: `the fuzz worker ${how}; last case started: ${started ?? 'none'}; stderr: ${r.stderr.slice(-2000)}` };
}
