/**
 * Checks that the tests catch real bugs (not part of CI): applies small deliberate bugs to the
 * source one at a time, runs the test files that should notice each on the js backend, restores
 * the source, and reports every mutation caught or missed. Exits 1 when one is missed.
 *   npx tsx scripts/mutation-check.ts [name-substring ...]
 * A mutation is an exact text replacement; its text must occur once in its file, so a mutation
 * that no longer applies is reported, not silently skipped. The source is restored after each
 * run, on failure and on Ctrl-C.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Mutation {
  name: string;
  file: string;
  from: string;
  to: string;
  /** Test files that must fail with the bug in place. */
  tests: string[];
}

const MUTATIONS: Mutation[] = [
  {
    name: 'sum (and mean) gradient scaled by 0.95',
    file: 'src/ops/reduce.ts',
    from: '(dy) => [add(reshape(dy, keptShape(x, axes)),',
    to: '(dy) => [add(mul(reshape(dy, keptShape(x, axes)), 0.95),',
    tests: ['test/ops/reduce-shape.test.ts'],
  },
  {
    name: 'conv2d kernel gradient scaled by 0.95',
    file: 'src/ops/conv2d.ts',
    from: 'pooledTensor(backend.conv2dBackpropFilter(x.f32, dz.f32, info), kernel.shape)',
    to: 'pooledTensor(backend.conv2dBackpropFilter(x.f32, dz.f32, info).map((v) => 0.95 * v), kernel.shape)',
    tests: ['test/ops/conv-pool.test.ts'],
  },
  {
    name: 'conv2dMaxPool bias gradient scaled by 0.95',
    file: 'src/ops/conv2d-max-pool.ts',
    from: 'sumAxes(dz, [0, 1, 2])',
    to: 'pooledTensor(sumAxes(dz, [0, 1, 2]).f32.map((v) => 0.95 * v), bias.shape)',
    tests: ['test/ops/conv-pool.test.ts'],
  },
  {
    name: "tanh's derivative 1 − 0.95·y² (js kernel)",
    file: 'src/backend/js/elementwise.ts',
    from: 'out[i] = dy[i]! * (1 - y[i]! * y[i]!)',
    to: 'out[i] = dy[i]! * (1 - 0.95 * y[i]! * y[i]!)',
    tests: ['test/ops/elementwise.test.ts'],
  },
  {
    name: "concatConv2d's recording path joins the branches in reverse",
    file: 'src/ops/concat-conv2d.ts',
    from: 'concat(branches.map(({ x, kernel, options }) => conv2d(x, kernel, options)), -1)',
    to: 'concat(branches.map(({ x, kernel, options }) => conv2d(x, kernel, options)).reverse(), -1)',
    tests: ['test/ops/conv-pool.test.ts'],
  },
  {
    name: "Adam's default beta2 0.999 → 0.99",
    file: 'src/optimizers/adam.ts',
    from: 'this.beta2 = args.beta2 ?? 0.999;',
    to: 'this.beta2 = args.beta2 ?? 0.99;',
    tests: ['test/training/optimizers.test.ts'],
  },
  {
    name: "Adam's bias correction one step late",
    file: 'src/optimizers/adam.ts',
    from: '/ (1 - this.beta1 ** t)',
    to: '/ (1 - this.beta1 ** (t + 1))',
    tests: ['test/training/optimizers.test.ts'],
  },
  {
    name: "RMSprop's epsilon inside the square root (js kernel)",
    file: 'src/backend/js/optimizers.ts',
    from: '(Math.sqrt(ai) + o.epsilon)',
    to: 'Math.sqrt(ai + o.epsilon)',
    tests: ['test/training/optimizers.test.ts'],
  },
  {
    name: 'nesterov momentum without the look-ahead (js kernel)',
    file: 'src/backend/js/optimizers.ts',
    from: 'o.nesterov ? o.momentum * v - o.learningRate * g[i]! : v',
    to: 'o.nesterov ? v - o.learningRate * g[i]! : v',
    tests: ['test/training/optimizers.test.ts'],
  },
  {
    name: 'time decay counts from the step being taken',
    file: 'src/optimizers/optimizer.ts',
    from: '(1 + this.decay * this.iterations)',
    to: '(1 + this.decay * (this.iterations + 1))',
    tests: ['test/training/optimizers.test.ts'],
  },
  {
    name: "resize filter taps shifted by half a pixel (Pillow's + 0.5 dropped)",
    file: 'src/data/resize.ts',
    from: 'filter.weight((x + xmin - center + 0.5) * ss)',
    to: 'filter.weight((x + xmin - center) * ss)',
    tests: ['test/data/resize.test.ts'],
  },
  {
    name: "bicubic's inner taps with a = −0.75 (OpenCV's), not Pillow's −0.5",
    file: 'src/data/resize.ts',
    from: '(1.5 * a - 2.5) * a * a + 1',
    to: '(1.25 * a - 2.25) * a * a + 1',
    tests: ['test/data/resize.test.ts'],
  },
  {
    name: "lanczos's window two lobes wide instead of three",
    file: 'src/data/resize.ts',
    from: 'sinc(x) * sinc(x / 3)',
    to: 'sinc(x) * sinc(x / 2)',
    tests: ['test/data/resize.test.ts'],
  },
  {
    name: 'nearest resize starts at the pixel edge, not its centre',
    file: 'src/data/resize.ts',
    from: 'let pos = step * 0.5;',
    to: 'let pos = 0;',
    tests: ['test/data/resize.test.ts'],
  },
  {
    name: 'class folders in reverse order (labels flipped)',
    file: 'src/data/list-directory.ts',
    from: 'names.filter((n) => isDirectory(join(directory, n))).sort(compareCodePoints)',
    to: 'names.filter((n) => isDirectory(join(directory, n))).sort(compareCodePoints).reverse()',
    tests: ['test/data/directory-iterator.test.ts'],
  },
  {
    name: 'deeptype predict names the other class (labels flipped)',
    file: 'src/cli/actions/predict.ts',
    from: "p > 0.5 ? { class: classNames[1]!, probability: p } : { class: classNames[0]!, probability: 1 - p }",
    to: "p > 0.5 ? { class: classNames[0]!, probability: p } : { class: classNames[1]!, probability: 1 - p }",
    tests: ['test/cli/train.test.ts'],
  },
  {
    name: 'HDF5 weights written in reverse order within each layer',
    file: 'src/io/weights-layout.ts',
    from: 'const weights = layer.weights;',
    to: 'const weights = [...layer.weights].reverse();',
    tests: ['test/io/save-model.test.ts', 'test/io/weights.test.ts'],
  },
  {
    name: 'glorot uniform scaled by fan_in alone',
    file: 'src/models/initializers.ts',
    from: "name.startsWith('glorot') ? 2 / (fanIn + fanOut) : 2 / fanIn",
    to: "name.startsWith('glorot') ? 2 / fanIn : 2 / fanIn",
    tests: ['test/layers/layers.test.ts'],
  },
  {
    name: 'saveBestOnly keeps saving after the first epoch',
    file: 'src/training/callbacks/model-checkpoint.ts',
    from: 'if (this.maximize ? current > this.best : current < this.best) {',
    to: 'if (this.maximize ? current > this.best : current < this.best || this.best < Infinity) {',
    tests: ['test/training/model-checkpoint.test.ts'],
  },
  {
    name: "evaluate's progress line ignores verbose",
    file: 'src/training/evaluate.ts',
    from: 'return evaluateSource(model, source, options.verbose ?? 1);',
    to: 'return evaluateSource(model, source, 1);',
    tests: ['test/training/fit.test.ts'],
  },
  {
    name: 'the directory is not flushed after the rename',
    file: 'src/io/atomic-write.ts',
    from: "if (process.platform !== 'win32') sync(folder, 'r');",
    to: '',
    tests: ['test/io/atomic-write.test.ts'],
  },
];

const REPO = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);
const chosen = MUTATIONS.filter((m) => filters.length === 0 || filters.some((f) => m.name.includes(f)));

/** The file being mutated and its original text, restored by whoever gets there first. */
let pending: { path: string; original: string } | null = null;
let child: ChildProcess | null = null;

function restore(): void {
  if (pending) writeFileSync(pending.path, pending.original);
  pending = null;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    child?.kill('SIGTERM');
    restore();
    console.log(`\n${signal}: the source is restored`);
    process.exit(130);
  });
}
process.on('exit', restore);

/** Runs the test files on the js backend; resolves with their exit status and the first failure named. */
function runTests(files: readonly string[]): Promise<{ failed: boolean; firstFailure: string }> {
  return new Promise((resolve) => {
    let output = '';
    child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', ...files], {
      cwd: REPO, env: { ...process.env, DEEPTYPE_BACKEND: 'js' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    child.on('close', (code) => {
      child = null;
      const failure = /^\s*not ok \d+ - (.*)$/m.exec(output)?.[1] ?? '';
      resolve({ failed: code !== 0, firstFailure: failure });
    });
  });
}

let missed = 0;
for (const [i, m] of chosen.entries()) {
  const path = join(REPO, m.file);
  const original = readFileSync(path, 'utf8');
  const count = original.split(m.from).length - 1;
  const label = `${String(i + 1).padStart(2)}. ${m.name} (${m.file})`;
  if (count !== 1) {
    console.log(`${label}: NOT APPLIED, its text occurs ${count} times; update the mutation`);
    missed++;
    continue;
  }
  pending = { path, original };
  let result: { failed: boolean; firstFailure: string };
  try {
    writeFileSync(path, original.replace(m.from, m.to));
    result = await runTests(m.tests);
  } finally {
    restore();
  }
  if (result.failed) console.log(`${label}: caught by ${m.tests.join(', ')} ("${result.firstFailure}")`);
  else {
    console.log(`${label}: MISSED, ${m.tests.join(', ')} still pass`);
    missed++;
  }
}
console.log(`\n${chosen.length - missed} of ${chosen.length} mutations caught`);
process.exitCode = missed === 0 ? 0 : 1;
