import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, relative } from 'node:path';

export interface Timing {
  /** Median wall time. */
  ms: number;
  /** Median CPU time of the whole process (all threads): unlike wall time, it does not count
   * the time neighbours on shared cores take from us, so it measures the code's efficiency. */
  cpuMs: number;
  /** Mean wall time: what many calls add up to (an epoch's steps), slow ones included. */
  meanMs: number;
}

/** The upper median (the middle value; of two, the larger). */
export const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

/** Median times of `fn` after a warm-up call, over at least `minReps` runs and `minMs`. */
export function timeIt(fn: () => void, minReps = 3, minMs = 400): Timing {
  fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  const start = performance.now();
  while (wall.length < minReps || (performance.now() - start < minMs && wall.length < 200)) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { ms: median(wall), cpuMs: median(cpu), meanMs: wall.reduce((s, t) => s + t, 0) / wall.length };
}

/** Fixed-width table rows: the first column left-aligned, the rest right-aligned. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Deterministic values in [-1, 1): benchmarks must not depend on a random seed. */
export function filled(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = ((i * 2654435761) % 2000) / 1000 - 1;
  return a;
}

/** Where and when a figure was measured: the command, the commit (marked when the tree had changes), the machine. */
export function provenance(): { command: string; commit: string; date: string; cpu: string; cores: number } {
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
  const script = relative(process.cwd(), process.argv[1] ?? '');
  return {
    command: `npx tsx ${script} ${process.argv.slice(2).join(' ')}`.trim(),
    commit: dirty ? `${commit} (with uncommitted changes)` : commit,
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
  };
}

/** Writes a benchmark's record as JSON, its provenance first. */
export function writeRecord(file: string, record: object): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...provenance(), ...record }, null, 1)}\n`);
}
