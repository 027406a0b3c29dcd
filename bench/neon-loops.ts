/**
 * What the AArch64 kernels can reach, read from their compiled code (no ARM machine here): for
 * each function of the NEON build, its innermost loop that does the most vector arithmetic,
 * with its instructions counted by kind, and the fraction of a core's FMA throughput that loop
 * allows at best on two core models (issue width and pipes; latencies and caches not modelled).
 * Reads the objects test/native's arm64 build made (`npm run test:arm64` first).
 *
 *   npx tsx bench/neon-loops.ts        writes bench/results/neon-loops.json
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeRecord } from './harness.js';

const repo = resolve(import.meta.dirname, '..');
const cross = join(repo, 'build', 'cross');
const dir = readdirSync(cross).find((d) => /^arm64-neon-[0-9a-f]{12}$/.test(d));
if (!dir) throw new Error(`no arm64 NEON build under ${cross}: run npm run test:arm64 first`);
const OBJECTS = ['gemm_neon', 'conv_winograd', 'pool', 'conv_pool_backward', 'elementwise', 'optim', 'warp', 'im2col'];

/** Neoverse N1 (Graviton 2) and an Apple M1 performance core: instructions issued a cycle, 128-bit FMA and load pipes. */
const CORES = { 'Neoverse N1': { issue: 4, fma: 2, load: 2 }, 'Apple M1': { issue: 8, fma: 4, load: 3 } };

interface Instruction { addr: number; op: string; args: string }
interface LoopCount { fn: string; instructions: number; fma: number; vectorOther: number; loads: number; stores: number; scalar: number }

function functions(object: string): Map<string, Instruction[]> {
  const text = spawnSync('aarch64-linux-gnu-objdump', ['-d', '-C', '--no-show-raw-insn', object], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
  const out = new Map<string, Instruction[]>();
  let current: Instruction[] | null = null;
  for (const line of text.split('\n')) {
    const head = /^[0-9a-f]+ <(.*)>:$/.exec(line);
    if (head) out.set(head[1]!, (current = []));
    const ins = /^\s+([0-9a-f]+):\s+(\S+)\s*(.*)$/.exec(line);
    if (ins && current) current.push({ addr: parseInt(ins[1]!, 16), op: ins[2]!, args: ins[3]! });
  }
  return out;
}

const isVector = (i: Instruction): boolean => /\bv\d+\.\d*[sdhb]\b|\bq\d+\b/.test(i.args);
const isBranch = (i: Instruction): boolean => /^(b|b\.\w+|cbn?z|tbn?z)$/.test(i.op);

const vectorWork = (body: Instruction[]): boolean => body.some((i) => isVector(i) && !/^(ld|st)/.test(i.op));

/**
 * The innermost loops that compute: a backward branch and the instructions it jumps back over,
 * holding no smaller such loop (a loop around a scalar remainder loop still counts).
 */
function loops(code: Instruction[]): Instruction[][] {
  const spans = code.flatMap((ins, at) => {
    if (!isBranch(ins)) return [];
    const target = parseInt(/([0-9a-f]+) </.exec(ins.args)?.[1] ?? '', 16);
    const from = code.findIndex((c) => c.addr === target);
    return from >= 0 && from <= at ? [[from, at] as const] : [];
  }).filter(([a, b]) => vectorWork(code.slice(a, b + 1)));
  return spans.filter(([a, b]) => !spans.some(([c, d]) => (c !== a || d !== b) && c >= a && d <= b)).map(([a, b]) => code.slice(a, b + 1));
}

function count(fn: string, body: Instruction[]): LoopCount {
  const c: LoopCount = { fn, instructions: body.length, fma: 0, vectorOther: 0, loads: 0, stores: 0, scalar: 0 };
  for (const i of body) {
    if (/^ld/.test(i.op)) c.loads++;
    else if (/^st/.test(i.op)) c.stores++;
    else if (/^fml[as]$/.test(i.op) && isVector(i)) c.fma++;
    else if (isVector(i)) c.vectorOther++;
    else c.scalar++;
  }
  return c;
}

/** The best fraction of peak FMA throughput one iteration of the loop allows on a core. */
const bound = (c: LoopCount, core: { issue: number; fma: number; load: number }): number =>
  c.fma / core.fma / Math.max(c.fma / core.fma, c.loads / core.load, c.instructions / core.issue);

const rows: (LoopCount & { object: string; ofPeak: Record<string, number> })[] = [];
for (const object of OBJECTS) {
  for (const [fn, code] of functions(join(cross, dir, `native_${object}.o`))) {
    const counted = loops(code).map((body) => count(fn, body)).filter((c) => c.fma + c.vectorOther > 0);
    // The loop doing the most arithmetic; of equals (a tile's full- and part-width loops), the shortest.
    const hot = counted.sort((a, b) => b.fma - a.fma || b.vectorOther - a.vectorOther || a.instructions - b.instructions)[0];
    if (hot) rows.push({ ...hot, object, ofPeak: Object.fromEntries(Object.entries(CORES).map(([name, core]) => [name, +bound(hot, core).toFixed(2)])) });
  }
}
const shown = rows.filter((r) => r.fma > 0 || r.object !== 'gemm_neon');
/** A row's name: the kernel a lambda belongs to, not the thread pool's wrappers around it. */
const shortName = (fn: string): string => {
  const plain = fn.replaceAll('dt::(anonymous namespace)::', '').replace(/^void /, '');
  const kernel = [...plain.matchAll(/(?:dt::)?(\w+)(?:<[^<>]*>)?\(/g)].map((m) => m[1]!).find((n) => !/^parallel_(for|range)$/.test(n));
  const template = /^(\w+<[^()]*>)\(/.exec(plain)?.[1];
  return template ?? kernel ?? plain;
};
const table = ['| object | function | instr. | FMA | other vector | loads | stores | scalar | ' + Object.keys(CORES).map((n) => `${n} FMA bound`).join(' | ') + ' |',
  `|${' --- |'.repeat(8 + Object.keys(CORES).length)}`,
  ...shown.map((r) => `| ${r.object} | ${shortName(r.fn)} | ${r.instructions} | ${r.fma} | ${r.vectorOther} | ` +
    `${r.loads} | ${r.stores} | ${r.scalar} | ${Object.values(r.ofPeak).map((v) => `${Math.round(v * 100)}%`).join(' | ')} |`)];
console.log(table.join('\n'));
writeRecord(join(repo, 'bench', 'results', 'neon-loops.json'), { build: dir, cores: CORES, loops: shown });
