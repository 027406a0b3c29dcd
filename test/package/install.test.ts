// The package as a user gets it: `npm pack`, then the tarball installed with --ignore-scripts
// (as pnpm and npm's allowScripts leave it) into a fresh project, dependencies from the registry.
// Plain node (ESM and CommonJS), a strict TypeScript project and the bin must all work, on the
// prebuilt native kernels, with no compiler run.
import assert from 'node:assert/strict';
import { type SpawnSyncOptions, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO } from '../helpers/paths.js';
import { needs } from '../native/cross.js';

const NODE_GYP_BUILD_PREBUILD = 'DEEPTYPE_PREBUILD';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command: string, args: readonly string[], options: SpawnSyncOptions = {}): string {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 300_000, ...options });
  assert.equal(r.status, 0, `${command} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return `${r.stdout}${r.stderr}`;
}

/** Builds a small convnet, fits 2 steps of 4 samples and prints the backend and loss as JSON. */
const FIT = (imports: string, wrap: (body: string) => string): string => `${imports}
setSeed(1);
const model = sequential([
  layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [12, 12, 3] }),
  layers.maxPooling2d({ poolSize: 2 }),
  layers.flatten(),
  layers.dense({ units: 1, activation: 'sigmoid' }),
]);
model.compile({ optimizer: optimizers.rmsprop({ learningRate: 1e-3 }), loss: 'binary_crossentropy', metrics: ['acc'] });
${wrap("model.fit(randomUniform([8, 12, 12, 3]), randomUniform([8, 1]), { epochs: 1, batchSize: 4, verbose: 0 })")}
`;
const NAMES = '{ backendName, layers, loadModel, optimizers, randomUniform, sequential, setSeed }';
/** Prints the backend, the loss, and the parameters of the model saved and read back (HDF5 through h5wasm's worker). */
const report = (h: string): string => `model.save('m.h5').then(() => loadModel('m.h5')).then((back) => console.log(JSON.stringify({
  backend: backendName(), loss: ${h}.history.loss, steps: ${h}.epoch.length * 2, params: [model.countParams(), back.countParams()] })))`;

/** The README's tour, with the types a user names, compiled by a strict project. */
const TOUR = `import {
  applications, callbacks, extractFeatures, flowImagesFromDirectory, freezeWeights, imageDataGenerator, layers, loadModel,
  optimizers, plotHistory, sequential, unfreezeWeights,
  activations, gradCam, heatmapImage, imageLoad, model as functionalModel, overlayHeatmap, plotActivations, plotFilters, saveImage,
  visualizeFilter,
  type ActivationsOptions, type FilterPattern, type GradCamOptions, type Heatmap, type OverlayOptions, type PlotActivationsOptions,
  type PlotFiltersOptions, type Tensor, type VisualizeFilterOptions,
  type Callback, type CompileArgs, type Conv2DArgs, type DenseArgs, type EvaluateOptions, type FitOptions, type History,
  type KerasFileInfo, type Logs, type LossFn, type MetricFn, type Optimizer, type PredictOptions,
} from 'deeptype';

export async function tour(): Promise<number> {
  const conv: Conv2DArgs = { filters: 32, kernelSize: [3, 3], activation: 'relu', inputShape: [150, 150, 3] };
  const head: DenseArgs = { units: 1, activation: 'sigmoid' };
  const model = sequential([layers.conv2d(conv), layers.maxPooling2d({ poolSize: [2, 2] }), layers.flatten(),
    layers.dropout({ rate: 0.5 }), layers.dense({ units: 512, activation: 'relu' }), layers.dense(head)]);
  const table: string = model.summary();
  const optimizer: Optimizer = optimizers.rmsprop({ learningRate: 1e-4 });
  const args: CompileArgs = { optimizer, loss: 'binary_crossentropy', metrics: ['acc'] };
  model.compile(args);
  const gen = imageDataGenerator({ rescale: 1 / 255, rotationRange: 40, widthShiftRange: 0.2, heightShiftRange: 0.2,
    shearRange: 0.2, zoomRange: 0.2, horizontalFlip: true, fillMode: 'nearest' });
  const train = flowImagesFromDirectory('data/train', gen, { targetSize: [150, 150], batchSize: 20, classMode: 'binary' });
  const validation = flowImagesFromDirectory('data/validation', gen, { targetSize: [150, 150], batchSize: 20, classMode: 'binary' });
  const logger: Callback = { onEpochEnd: (epoch: number, logs?: Logs) => console.log(epoch, logs?.['val_acc']) };
  const options: FitOptions = { stepsPerEpoch: 100, epochs: 30, validationData: validation, validationSteps: 50,
    callbacks: [logger, callbacks.earlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true })] };
  const history: History = await model.fit(train, options);
  await plotHistory(history, 'history.png');
  await model.save('cats_and_dogs_small_1.h5');
  const loaded = await loadModel('cats_and_dogs_small_1.h5');
  const quiet: EvaluateOptions & PredictOptions = { verbose: 0 };
  console.log(table.length, loaded.countParams(), quiet);

  const convBase = await applications.vgg16({ weights: 'imagenet', includeTop: false, inputShape: [150, 150, 3] });
  const { features, labels } = await extractFeatures(convBase, train, { samples: 2000 });
  const full = sequential([convBase, layers.flatten(), layers.dense({ units: 256, activation: 'relu' }), layers.dense(head)]);
  freezeWeights(convBase);
  unfreezeWeights(convBase, { from: 'block5_conv1' });
  full.compile({ optimizer: optimizers.rmsprop({ learningRate: 1e-5 }), loss: 'binary_crossentropy', metrics: ['acc'] });
  const squeeze = await applications.squeezenet({ weights: 'imagenet', inputShape: [150, 150, 3], pooling: 'avg' });
  const loss: LossFn | null = null;
  const metric: MetricFn | null = null;
  const info: KerasFileInfo | null = null;
  console.log(features.shape, labels.shape, squeeze.outputShape, loss, metric, info);

  const taps = functionalModel({ inputs: model.input, outputs: model.layers.slice(0, 2).map((l) => l.output) });
  const image: Tensor = features;
  const outputs: Tensor[] = await taps.predict(image);
  const which: ActivationsOptions = { layers: ['conv2d_1'] };
  const drawn: PlotActivationsOptions = { columns: 16 };
  await plotActivations(await activations(model, image, which), 'activations.png', drawn);
  const ascent: VisualizeFilterOptions = { steps: 40, stepSize: 1, size: 150 };
  const pattern: FilterPattern = await visualizeFilter(convBase, 'block3_conv1', 0, ascent);
  const grid: PlotFiltersOptions = { count: 64 };
  await plotFilters(convBase, 'block1_conv1', 'filters.png', grid);
  const cam: GradCamOptions = { layer: 'block5_conv3', classIndex: 0 };
  const heat: Heatmap = await gradCam(full, image, cam);
  const blend: OverlayOptions = { alpha: 0.4, colormap: 'jet' };
  await saveImage(overlayHeatmap(await imageLoad('cat.jpg'), heat, blend), 'overlay.png');
  await saveImage(heatmapImage(heat), 'heatmap.png');
  console.log(outputs.length, pattern.finalActivation);
  return history.epoch.length;
}
`;

const STRICT = { strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true,
  noPropertyAccessFromIndexSignature: true, skipLibCheck: false, noEmit: true, target: 'ES2022',
  types: ['node'], typeRoots: [join(REPO, 'node_modules', '@types')] };

describe('npm pack, then install --ignore-scripts into a fresh project', () => {
  const work = mkdtempSync(join(tmpdir(), 'deeptype-package-'));
  const app = join(work, 'app');
  let tarball = '';
  let files: string[] = [];

  before(() => {
    // prepack builds the linux-arm64 prebuild with Debian's cross compiler.
    const missing = needs({ 'aarch64-linux-gnu-g++': 'g++-aarch64-linux-gnu' });
    if (missing) throw new Error(missing);
    run(npm, ['pack', '--silent', '--pack-destination', work], { cwd: REPO });
    tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);
    files = run('tar', ['tzf', tarball]).trim().split('\n').map((f) => f.replace(/^package\//, ''));
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "name": "app", "version": "1.0.0", "type": "commonjs", "private": true }\n');
    run(npm, ['install', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: app });
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test('the tarball holds the build, the prebuilt kernels, the weights and the sources to compile, nothing else', () => {
    for (const dir of ['test/', 'bench/', 'docs/', 'scripts/', 'src/', 'examples/', 'build/']) {
      assert.deepEqual(files.filter((f) => f.startsWith(dir)), [], dir);
    }
    for (const f of ['dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/esm/cli.js', 'dist/cjs/index.js', 'dist/cjs/index.d.ts',
      'dist/cjs/package.json', 'prebuilds/linux-x64/deeptype.glibc.node', 'prebuilds/linux-arm64/deeptype.glibc.node', 'models/squeezenet_weights_tf_dim_ordering_tf_kernels_notop.h5',
      'binding.gyp', 'native/build.mjs', 'native/gemm.cc', 'native/platform/posix.cc', 'bin/deeptype.mjs', 'LICENSE', 'README.md', 'package.json']) {
      assert.ok(files.includes(f), `${f} is in the tarball`);
    }
  });

  test('plain node, ES modules: a convnet fits 2 steps on the native backend, saves and loads back', () => {
    writeFileSync(join(app, 'fit.mjs'), FIT(`import ${NAMES} from 'deeptype';`, (fit) => `const h = await ${fit};\n${report('h')};`));
    const out = JSON.parse(run(process.execPath, ['fit.mjs'], { cwd: app })) as { backend: string; loss: number[]; steps: number; params: number[] };
    assert.equal(out.backend, 'native');
    assert.equal(out.steps, 2);
    assert.deepEqual(out.params, [213, 213]);
    assert.ok(Number.isFinite(out.loss[0]), String(out.loss));
  });

  test('plain node, CommonJS: the same with require', () => {
    writeFileSync(join(app, 'fit.cjs'), FIT(`const ${NAMES} = require('deeptype');`, (fit) => `${fit}.then((h) => ${report('h')});`));
    const out = JSON.parse(run(process.execPath, ['fit.cjs'], { cwd: app })) as { backend: string; loss: number[]; params: number[] };
    assert.equal(out.backend, 'native');
    assert.deepEqual(out.params, [213, 213]);
    assert.ok(Number.isFinite(out.loss[0]), String(out.loss));
  });

  test('a strict TypeScript project compiles the README tour with 0 errors (node16 CommonJS and ESM, bundler)', () => {
    const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    writeFileSync(join(app, 'tour.ts'), TOUR);
    writeFileSync(join(app, 'tour.mts'), TOUR);
    const configs = {
      'node16-cjs': { module: 'node16', moduleResolution: 'node16', file: 'tour.ts' },
      'node16-esm': { module: 'node16', moduleResolution: 'node16', file: 'tour.mts' },
      bundler: { module: 'esnext', moduleResolution: 'bundler', file: 'tour.ts' },
    };
    for (const [name, { file, ...resolution }] of Object.entries(configs)) {
      writeFileSync(join(app, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions: { ...STRICT, ...resolution }, files: [file] }));
      const r = spawnSync(process.execPath, [tsc, '-p', `tsconfig.${name}.json`], { cwd: app, encoding: 'utf8' });
      assert.equal(r.status, 0, `${name}: ${r.stdout}${r.stderr}`);
    }
  });

  test('npx deeptype --help and --version run the compiled CLI', () => {
    assert.match(run('npx', ['--no', '--', 'deeptype', '--help'], { cwd: app }), /Usage: deeptype \[options\] \[command\][^]*train/);
    const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(run('npx', ['--no', '--', 'deeptype', '--version'], { cwd: app }).trim(), version);
  });

  test('importing deeptype loads neither vega nor vega-lite (they load on the first plot)', () => {
    // A resolve hook records every bare specifier the import asks for.
    writeFileSync(join(app, 'hook.mjs'), `export async function resolve(specifier, context, next) {
  if (/^vega/.test(specifier)) process.stderr.write('resolved ' + specifier + '\\n');
  return next(specifier, context);
}`);
    writeFileSync(join(app, 'register.mjs'), "import { register } from 'node:module';\nregister('./hook.mjs', import.meta.url);\n");
    const r = spawnSync(process.execPath, ['--import', './register.mjs', '-e', "import('deeptype').then((d) => console.log(typeof d.plotHistory))"],
      { cwd: app, encoding: 'utf8' });
    assert.equal(r.stdout.trim(), 'function', r.stderr);
    assert.doesNotMatch(r.stderr, /resolved vega/);
  });

  test('the install script takes the prebuilt kernels and compiles nothing', () => {
    const pkg = join(app, 'node_modules', 'deeptype');
    const env = { ...process.env, npm_config_node_gyp: '/nonexistent/node-gyp.js' };
    assert.match(run(process.execPath, ['native/build.mjs'], { cwd: pkg, env }), /using the prebuilt native kernels prebuilds\/linux-x64\/deeptype\.glibc\.node/);
  });

  test('no kernels, or a truncated one: the js backend, with one message naming the platform or the file', () => {
    const elsewhere = join(work, 'elsewhere');
    const folder = join(elsewhere, 'prebuilds', `${process.platform}-${process.arch}`);
    mkdirSync(folder, { recursive: true });
    const probe = ['-e', "const d = require('deeptype'); console.log(d.backendName())"];
    const none = spawnSync(process.execPath, probe, { cwd: app, encoding: 'utf8', env: { ...process.env, [NODE_GYP_BUILD_PREBUILD]: elsewhere } });
    assert.equal(none.stdout.trim(), 'js', none.stderr);
    assert.match(none.stderr, /using the js backend because .*no native kernels for linux-x64.*npm rebuild deeptype/);
    const truncated = join(folder, 'deeptype.glibc.node');
    copyFileSync(join(app, 'node_modules', 'deeptype', 'prebuilds', 'linux-x64', 'deeptype.glibc.node'), truncated);
    truncateSync(truncated, 4096);
    const broken = spawnSync(process.execPath, probe, { cwd: app, encoding: 'utf8', env: { ...process.env, [NODE_GYP_BUILD_PREBUILD]: elsewhere } });
    assert.equal(broken.stdout.trim(), 'js');
    assert.match(broken.stderr, new RegExp(`the native kernels at ${truncated.replaceAll('.', '\\.')} do not load on linux-x64`));
    assert.equal(broken.stderr.trim().split('\n').length, 1, broken.stderr);
  });
});
