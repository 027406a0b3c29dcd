// The child process of fuzzInChild: node --import tsx fuzz-worker.ts <module> <seed> <count> <regression seeds>.
// Prints "seed N" before each case (so a crash names it) and a JSON FuzzSummary last.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type FuzzCase, type FuzzSummary, judge } from './fuzz.js';

const [module, first, count, regressions] = process.argv.slice(2) as [string, string, string, string];
const { fuzzCase } = (await import(pathToFileURL(resolve(module)).href)) as { fuzzCase: FuzzCase };
const seeds = [...new Set([...regressions.split(',').filter(Boolean).map(Number), ...Array.from({ length: Number(count) }, (_, i) => Number(first) + i)])];
const dir = mkdtempSync(join(tmpdir(), 'deeptype-fuzz-'));
const summary: FuzzSummary = { cases: 0, failures: [], slowest: { seed: -1, ms: 0 }, maxRssMiB: 0 };
// Loaders may warn (skipped layers, unreadable images): expected, and not the worker's output.
console.warn = () => {};
try {
  for (const seed of seeds) {
    process.stdout.write(`seed ${seed}\n`);
    const start = performance.now();
    const { path, outcome } = await fuzzCase(seed, dir);
    const ms = performance.now() - start;
    if (ms > summary.slowest.ms) summary.slowest = { seed, ms: Math.round(ms) };
    const why = judge(outcome, path);
    if (why) summary.failures.push({ seed, why });
    summary.cases++;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
summary.maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(`${JSON.stringify(summary)}\n`);
