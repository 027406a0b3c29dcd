/**
 * Alternating rounds: each tool (deeptype, and every peer that is installed) runs once per
 * round in a fresh process that prints its record as the last line of its output, and the order
 * rotates from round to round, so a slow spell of a shared machine does not always hit the
 * same tool. Peers are found, never installed: a missing one is skipped with the command that
 * installs it.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** What one run of one tool prints as its last line. */
export interface RunRecord {
  tool: string;
  version: string;
  [figure: string]: unknown;
}

export interface Tool {
  name: string;
  run(): RunRecord;
}

const PEERS = join(import.meta.dirname, 'peers');

/** PyTorch's fastest configuration here: glibc keeps freed memory (../shared/bench/README.md). */
const TORCH_ENV = { MALLOC_MMAP_MAX_: '0', MALLOC_TRIM_THRESHOLD_: '68719476736', MALLOC_TOP_PAD_: '536870912' };

/** Runs a command and parses the last line of its stdout (its stderr goes to ours). */
export function runChild(command: string, args: string[], what: string, env: Record<string, string> = {}): RunRecord {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  try {
    if (r.status !== 0) throw new Error(`exit ${r.status}`);
    return JSON.parse(line) as RunRecord;
  } catch (e) {
    throw new Error(`${what} failed (${(e as Error).message}); its output ended with:\n${r.stdout.slice(-2000)}`);
  }
}

/** deeptype's own run: this repository's script in a fresh node. */
export function deeptypeTool(script: string, args: string[]): Tool {
  return { name: 'deeptype', run: () => runChild(process.execPath, ['--import', 'tsx', join(import.meta.dirname, script), ...args], 'deeptype') };
}

/** A script of bench/peers/ and its arguments. */
export interface PeerScript {
  script: string;
  args: string[];
}

/** The script of each peer asked for that is installed here. */
export function peerTools(peers: string[], scripts: Partial<Record<'keras' | 'torch', PeerScript>>, kerasPython: string): Tool[] {
  const tools: Tool[] = [];
  for (const peer of peers) {
    const { script, args } = scripts[peer as 'keras' | 'torch'] ?? {};
    if (!script || !args) throw new Error(`peers here are ${Object.keys(scripts).join(', ')}; got '${peer}'`);
    if (peer === 'keras') {
      if (!kerasPython || spawnSync(kerasPython, ['-c', 'import tensorflow'], { stdio: 'ignore' }).status !== 0) {
        console.log('keras: skipped: pass --keras-python <venv>/bin/python for a virtualenv made with ' +
          '`python3 -m venv <venv> && <venv>/bin/pip install tensorflow-cpu`');
        continue;
      }
      tools.push({ name: peer, run: () => runChild(kerasPython, [join(PEERS, script), ...args], script) });
    } else if (peer === 'torch') {
      if (spawnSync('/usr/bin/python3', ['-c', 'import torch, torchvision'], { stdio: 'ignore' }).status !== 0) {
        console.log('torch: skipped: apt-get install -y python3-torch python3-torchvision');
        continue;
      }
      tools.push({ name: peer, run: () => runChild('/usr/bin/python3', [join(PEERS, script), ...args], script, TORCH_ENV) });
    }
  }
  return tools;
}

/** `rounds` rounds of every tool, the order rotating; each record gets its round number. */
export function alternate(tools: Tool[], rounds: number, describe: (r: RunRecord) => string): RunRecord[] {
  const records: RunRecord[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (let k = 0; k < tools.length; k++) {
      const tool = tools[(k + round - 1) % tools.length]!;
      const t0 = performance.now();
      const record = { ...tool.run(), round };
      records.push(record);
      console.log(`round ${round}: ${tool.name} ${describe(record)} (${((performance.now() - t0) / 1000).toFixed(0)} s with start-up)`);
    }
  }
  return records;
}

/** The lower median (of two rounds, the smaller): the figures in bench/RESULTS.md use it. */
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)]!;

/** "median (min–max)". */
export const spread = (v: number[], digits = 1): string =>
  `${median(v).toFixed(digits)} (${Math.min(...v).toFixed(digits)}–${Math.max(...v).toFixed(digits)})`;

/** Each round's ratio of deeptype's figure to a peer's, as "median (min–max)". */
export function ratios(records: RunRecord[], peer: string, figure: (r: RunRecord) => number): string {
  const ours = records.filter((r) => r.tool === 'deeptype');
  return spread(records.filter((r) => r.tool === peer).map((r) => figure(ours.find((d) => d.round === r.round)!) / figure(r)), 2);
}
