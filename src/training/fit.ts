import { type BatchIterator, isBatchIterator } from '../data/batch-iterator.js';
import type { Model } from '../models/model.js';
import { gather } from '../ops/shape.js';
import { rngFor } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { type Callback, CallbackList, type FitParams, type Logs } from './callbacks/callback.js';
import { ProgressLogger } from './callbacks/progress.js';
import { type Arrays, asList, type BatchSource, checkArrays, isLabels, type Labels, requirePositiveInteger, toSource } from './batches.js';
import { metricResults, resetMetrics } from './compile.js';
import { evaluateSource, requireCompiled } from './evaluate.js';
import { type History, HistoryRecorder } from './history.js';
import { trainStep } from './train-step.js';

export interface FitOptions {
  epochs?: number;
  /** Array input: samples per step; default 32. */
  batchSize?: number;
  /** Iterator input: steps per epoch; default ceil(samples / batchSize). */
  stepsPerEpoch?: number;
  /** Arrays [x, y] (x, y: one tensor per input, output for several) or an iterator. */
  validationData?: [Arrays, Labels] | BatchIterator;
  /** Iterator validation: batches per evaluation; default ceil(samples / batchSize). */
  validationSteps?: number;
  /** Array input: the last fraction of x and y (before shuffling) held out for validation. */
  validationSplit?: number;
  /** Array input: reshuffle every epoch; default true. */
  shuffle?: boolean;
  callbacks?: Callback[];
  /** 0 silent, 1 progress bar (default), 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
  /** Epoch to start from (0-based), to resume a run. */
  initialEpoch?: number;
  /** Seed for this run's shuffling; default: the global generator (see setSeed). */
  seed?: number;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function splitForValidation(x: Tensor, y: Labels, fraction: number): [Tensor, Labels, [Tensor, Labels]] {
  if (!(fraction > 0 && fraction < 1)) throw new Error(`fit: validationSplit must be in (0, 1), got ${fraction}`);
  const n = x.shape[0]!;
  const cut = Math.floor(n * (1 - fraction));
  const rows = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
  const part = (t: Tensor, from: number, to: number): Tensor => gather(t, rows(from, to));
  const labels = (from: number, to: number): Labels => (y instanceof Tensor ? part(y, from, to) : y.map((t) => part(t, from, to)));
  return [part(x, 0, cut), labels(0, cut), [part(x, cut, n), labels(cut, n)]];
}

/**
 * Labels are class indices, so training and validation folders must list the same classes in
 * the same order: validation/cat vs train/cats, or an extra folder on one side, would score
 * every image against another class's index without a word.
 */
function warnIfDifferentClasses(train: unknown, validation: unknown): void {
  const classesOf = (it: unknown): string[] | null => {
    const indices = (it as { classIndices?: Record<string, number> } | null)?.classIndices;
    return indices ? Object.keys(indices).sort((a, b) => indices[a]! - indices[b]!) : null;
  };
  const [a, b] = [classesOf(train), classesOf(validation)];
  if (a && b && a.join('\0') !== b.join('\0')) {
    console.warn(`fit: the validation classes (${b.join(', ')}) differ from the training classes (${a.join(', ')}); ` +
      'labels are class indices, so validation images would be scored against other classes');
  }
}

function warnIfStaleCompile(model: Model): void {
  const now = model.trainableWeights;
  const collected = model.compiled!.trainableWeights;
  if (now.length !== collected.length || now.some((w, i) => w !== collected[i])) {
    console.warn(`${model.name}: trainable weights changed since compile (${collected.length} collected, ${now.length} now); ` +
      'training still uses the ones collected at compile. Call compile() again after changing `trainable`.');
  }
}

/** Keras's fit: epochs of batches, hooks around each, validation at each epoch's end. */
export async function fitModel(model: Model, a: Arrays | BatchIterator, b?: Labels | FitOptions,
  c?: FitOptions): Promise<History> {
  requireCompiled(model, 'fit');
  let [x, y, options] = isLabels(b) ? [a, b, c ?? {}] as const : [a, null, (b ?? {}) as FitOptions] as const;
  if (!isBatchIterator(x) && !y) throw new Error(`${model.name}.fit: expected (x, y, options) or (iterator, options)`);
  let validationData = options.validationData;
  if (options.validationSplit !== undefined) {
    if (!(x instanceof Tensor) || !y) throw new Error(`${model.name}.fit: validationSplit needs array input; pass validationData with an iterator`);
    checkArrays(model, x, y, `${model.name}.fit`);
    [x, y, validationData] = splitForValidation(x, y, options.validationSplit);
  }
  const where = `${model.name}.fit`;
  const epochs = requirePositiveInteger(options.epochs ?? 1, 'epochs', where);
  const initialEpoch = options.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0 || initialEpoch >= epochs) {
    throw new Error(`${where}: initialEpoch must be an integer in [0, epochs) = [0, ${epochs}), got ${initialEpoch}`);
  }
  const verbose = options.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new Error(`${where}: verbose must be 0, 1 or 2, got ${String(verbose)}`);
  const train = toSource(model, x, y, options.batchSize ?? 32, options.shuffle ?? true, options.stepsPerEpoch, where, 'stepsPerEpoch', 'stream');
  const validation = validationSource(model, validationData, options);
  warnIfDifferentClasses(x, validationData);
  warnIfStaleCompile(model);

  const recorder = new HistoryRecorder();
  const userCallbacks = options.callbacks ?? [];
  const ownLogger = verbose && !userCallbacks.some((cb) => cb instanceof ProgressLogger);
  // History comes last, as in Keras, so it records what callbacks add to the logs (learning_rate).
  const callbacks = new CallbackList([...(ownLogger ? [new ProgressLogger()] : []), ...userCallbacks, recorder]);
  const compiled = model.compiled!;
  const metricNames = ['loss', ...compiled.metrics.map((m) => m.name)];
  const params: FitParams = {
    epochs, steps: train.samples === null ? train.steps : null, samples: train.samples,
    batchSize: isBatchIterator(x) ? x.batchSize : options.batchSize ?? 32, verbose, doValidation: validation !== null,
    validationSamples: validationData instanceof Array ? asList(validationData[0])[0]!.shape[0]! : null,
    metrics: [...metricNames, ...(validation ? metricNames.map((m) => `val_${m}`) : [])],
  };
  callbacks.setup(model, params);
  const rng = rngFor(options.seed);
  model.stopTraining = false;

  // Ctrl-C ends the run cleanly after the current step. With this listener gone, a second
  // Ctrl-C gets Node's default and exits at once.
  let interrupted = false;
  const onSigint = (): void => {
    interrupted = true;
    model.stopTraining = true;
  };
  process.once('SIGINT', onSigint);
  try {
    await callbacks.call('onTrainBegin', {});
    for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
      await callbacks.call('onEpochBegin', epoch, {});
      resetMetrics(compiled);
      train.startPass(rng);
      for (let step = 0; step < train.steps && !model.stopTraining; step++) {
        await callbacks.call('onBatchBegin', step, { batch: step, size: 0 });
        const logs = trainStep(model, compiled, (await train.batch(step))!);
        logs.batch = step;
        await callbacks.call('onBatchEnd', step, logs);
        await yieldToEventLoop();
      }
      // Read before validation, which resets the same metrics for its own pass.
      const epochLogs: Logs = metricResults(compiled);
      if (interrupted) {
        // The epoch did not finish: no validation and no onEpochEnd, but callbacks may save.
        await callbacks.call('onInterrupt', epoch, epochLogs);
        break;
      }
      if (validation) {
        // A run stopped within the epoch (terminateOnNaN) is not validated, as in Keras; NaN
        // keeps every history column at one value per epoch, which plots and CSVs rely on.
        const v = model.stopTraining ? null : await evaluateSource(model, validation);
        for (const m of metricNames) epochLogs[`val_${m}`] = v ? v[m]! : NaN;
      }
      await callbacks.call('onEpochEnd', epoch, epochLogs);
    }
    await callbacks.call('onTrainEnd', {});
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  return recorder.result();
}

function validationSource(model: Model, data: FitOptions['validationData'], options: FitOptions): BatchSource | null {
  if (!data) return null;
  const where = `${model.name}.fit: validationData`;
  if (isBatchIterator(data)) return toSource(model, data, null, 32, false, options.validationSteps, where, 'validationSteps');
  if (!Array.isArray(data) || data.length !== 2) throw new Error(`${model.name}.fit: validationData must be [x, y] or an iterator`);
  return toSource(model, data[0], data[1], options.batchSize ?? 32, false, options.validationSteps, where, 'validationSteps');
}
