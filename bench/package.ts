/**
 * The package as users meet it: the tarball's size and file count, the time `npm install` takes
 * with and without install scripts (dependencies from npm's cache), and the time `import` and
 * `require` of deeptype take in a fresh process. Writes bench/results/package.json.
 *
 *   npx tsx bench/package.ts [--rounds 10] [--repo DIR]    DIR: another checkout to pack (an older commit, for before/after)
 *   npx tsx bench/package.ts --import-only <module> [--rounds 10] [--out <record.json>]   # time importing any module file (e.g. an older src/index.ts through tsx)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeRecord } from './harness.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '10' }, 'import-only': { type: 'string' },
  repo: { type: 'string' }, out: { type: 'string' } } });
const rounds = Number(values.rounds);
const here = resolve(import.meta.dirname, '..');
const repo = values.repo ? resolve(values.repo) : here;

function run(command: string, args: string[], cwd: string): string {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Wall time of a command, in ms. */
function timed(command: string, args: string[], cwd: string): number {
  const t0 = performance.now();
  run(command, args, cwd);
  return performance.now() - t0;
}

const stats = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return { min: Math.round(s[0]!), median: Math.round(s[Math.floor(s.length / 2)]!), max: Math.round(s[s.length - 1]!) };
};

/** The time a fresh node takes to load `specifier`, measured inside the process (startup excluded). */
function importTimes(cwd: string, code: string, args: string[] = []): ReturnType<typeof stats> {
  const ms = Array.from({ length: rounds }, () => Number(run(process.execPath, [...args, '-e', code], cwd)));
  return stats(ms);
}
const esm = (specifier: string) => `const t = performance.now(); import(${JSON.stringify(specifier)}).then(() => process.stdout.write(String(performance.now() - t)))`;
const cjs = (specifier: string) => `const t = performance.now(); require(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t))`;

if (values['import-only']) {
  const file = resolve(values['import-only']);
  const tsx = file.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const result = { module: relative(here, file), importMs: importTimes(repo, esm(file), tsx) };
  console.log(JSON.stringify(result));
  if (values.out) writeRecord(resolve(values.out), { rounds, ...result });
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), 'deeptype-bench-package-'));
try {
  run('npm', ['pack', '--silent', '--pack-destination', work], repo);
  const tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);
  const files = run('tar', ['tzf', tarball], work).trim().split('\n').length;
  const install = { ignoreScripts: [] as number[], withScripts: [] as number[] };
  for (let i = 0; i < Math.min(rounds, 5); i++) {
    for (const [kind, flags] of [['ignoreScripts', ['--ignore-scripts']], ['withScripts', []]] as const) {
      const app = join(work, `${kind}-${i}`);
      mkdirSync(app);
      writeFileSync(join(app, 'package.json'), '{ "name": "app", "version": "1.0.0", "private": true }\n');
      install[kind].push(timed('npm', ['install', ...flags, '--prefer-offline', '--no-audit', '--no-fund', tarball], app));
    }
  }
  const app = join(work, 'ignoreScripts-0');
  // A package whose entry is TypeScript (before it shipped compiled JavaScript) does not import in plain node.
  const imports = (code: (s: string) => string) => { try { return importTimes(app, code('deeptype')); } catch (e) { return String(e).split('\n')[0]; } };
  const result = {
    date: new Date().toISOString(),
    commit: run('git', ['rev-parse', '--short', 'HEAD'], repo).trim(),
    node: process.version,
    tarball: { bytes: statSync(tarball).size, files },
    installMs: { ignoreScripts: stats(install.ignoreScripts), withScripts: stats(install.withScripts) },
    importMs: { esm: imports(esm), cjs: imports(cjs) },
  };
  console.log(JSON.stringify(result, null, 2));
  if (!values.repo) {
    mkdirSync(join(here, 'bench', 'results'), { recursive: true });
    writeFileSync(join(here, 'bench', 'results', 'package.json'), `${JSON.stringify(result, null, 2)}\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
