import { existsSync, readdirSync, statSync } from 'node:fs';
import type { Model } from '../../models/model.js';
import { plotHistory } from '../../plot/history.js';
import { firstNonFiniteWeight } from '../../models/non-finite.js';
import { EXIT_INTERRUPTED, InputError } from '../errors.js';
import { requireClasses } from '../image-input.js';
import { InterruptGuard } from '../interrupt.js';
import { defaultLearningRate, FINE_TUNE_LEARNING_RATE } from '../model-kinds.js';
import { isModelKind, MODEL_KINDS, type OptimizerChoice } from '../options.js';
import { runFolderName, writeHistoryFiles } from '../run-folder.js';
import { writeRunReport } from '../run-report.js';
import { RunSession } from '../run-session.js';
import { syntheticImageFolder } from '../synthetic-folder.js';
import { trainOnImages } from '../train-images.js';
import { splitFolders, type TrainSettings } from '../train-settings.js';
import { trainSqueezenet } from '../train-squeezenet.js';

/** `deeptype train`'s flags as commander parsed them. */
export interface TrainFlags {
  model: string;
  epochs: number;
  batchSize: number;
  stepsPerEpoch?: number;
  validationSteps?: number;
  augment: boolean;
  lr?: number;
  optimizer: OptimizerChoice;
  seed: number;
  imageSize: number;
  out?: string;
  force: boolean;
  weights: string;
}

/** A --model value that is no kind must be a model file; say which when it is neither. */
function requireModelKindOrFile(model: string): void {
  if (isModelKind(model) || existsSync(model)) return;
  if (/\.(h5|hdf5|keras)$/i.test(model)) throw new InputError(`model file not found: ${model}`);
  throw new InputError(`unknown model kind '${model}'; expected ${MODEL_KINDS.join(', ')}, or a saved model file (.h5) to train further`);
}

/** A run folder that already holds files is another run's: replaced only with --force. */
function requireNewRunFolder(dir: string, force: boolean): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new InputError(`--out ${dir} is a file; expected a folder for the run`);
  if (!force && readdirSync(dir).length > 0) {
    throw new InputError(`run folder ${dir} already exists and holds files (${readdirSync(dir).slice(0, 3).join(', ')}…); ` +
      'choose another --out, or pass --force to overwrite it');
  }
}

/** Trains as the flags say and writes the run folder; see the train command. */
export async function train(dataDir: string | undefined, flags: TrainFlags, optimizerChosen: boolean): Promise<void> {
  requireModelKindOrFile(flags.model);
  const kindName = isModelKind(flags.model) ? flags.model : 'model';
  const dir = runFolderName(flags.out, kindName);
  requireNewRunFolder(dir, flags.force);
  const data = dataDir ?? await syntheticImageFolder();
  const folders = splitFolders(data);
  requireClasses(folders.train);
  const settings: TrainSettings = {
    data, model: flags.model, epochs: flags.epochs, batchSize: flags.batchSize, augment: flags.augment,
    optimizer: flags.optimizer, seed: flags.seed, imageSize: flags.imageSize, weights: flags.weights,
    ...(flags.stepsPerEpoch === undefined ? {} : { stepsPerEpoch: flags.stepsPerEpoch }),
    ...(flags.validationSteps === undefined ? {} : { validationSteps: flags.validationSteps }),
    ...(flags.lr === undefined ? {} : { learningRate: flags.lr }),
  };
  const guard = new InterruptGuard((): string => (existsSync(dir) ? `What was saved is in ${dir}.` : ''));
  const recorded: Record<string, number | string | boolean> = {
    epochs: settings.epochs, 'batch size': settings.batchSize, augment: settings.augment, optimizer: settings.optimizer,
    'learning rate': settings.learningRate ?? (isModelKind(flags.model) ? defaultLearningRate(flags.model) : 'as saved'),
    ...(flags.model === 'squeezenet-finetune' ? { 'fine-tuning learning rate': FINE_TUNE_LEARNING_RATE } : {}),
    seed: settings.seed,
    'steps per epoch': settings.stepsPerEpoch ?? 'all images', 'validation steps': settings.validationSteps ?? 'all images',
  };
  const session = new RunSession(dir, data, recorded, guard);
  try {
    const model: Model = flags.model === 'squeezenet-features' || flags.model === 'squeezenet-finetune'
      ? await trainSqueezenet(session, settings, flags.model)
      : await trainOnImages(session, settings, optimizerChosen);
    await finish(session, model, folders.validation, settings);
  } finally {
    guard.dispose();
  }
}

/** Saves the model and the history files; the report too, unless Ctrl-C asked to stop. */
async function finish(session: RunSession, model: Model, validationDir: string, s: TrainSettings): Promise<void> {
  const { files, info } = session;
  const diverged = firstNonFiniteWeight(model);
  if (!diverged) await model.save(files.model);
  const history = session.history!;
  await writeHistoryFiles(session.dir, history);
  const hasCurves = history.epoch.length > 0;
  if (hasCurves) await plotHistory(history, files.historyPng);
  if (diverged) {
    await session.saveInfo();
    throw new InputError(`training diverged: weight '${diverged}' holds NaN or infinite values, so the model was not saved ` +
      `over ${files.model} (which keeps the last epoch with finite weights, if any); try a lower --lr`);
  }
  if (session.guard.stopped) {
    await session.saveInfo();
    console.log(`\nStopped by Ctrl-C after ${history.epoch.length} complete epochs; saved the model and history in ${session.dir} (no report).`);
    process.exitCode = EXIT_INTERRUPTED;
    return;
  }
  const scores = await writeRunReport(session.dir, model, info!, {
    validationDir, batchSize: s.batchSize, summary: session.summary, hasHistoryImage: hasCurves,
    ...(s.validationSteps === undefined ? {} : { maxSamples: s.validationSteps * s.batchSize }),
  });
  info!.final = { ...info!.final, validation_loss: scores.loss, validation_acc: scores.acc, validation_images: scores.samples };
  await session.saveInfo();
  console.log(`\nValidation accuracy ${(100 * scores.acc).toFixed(1)}% on ${scores.samples} images (loss ${scores.loss.toFixed(4)}).`);
  console.log(`Run folder: ${session.dir} (open report.html)`);
}
