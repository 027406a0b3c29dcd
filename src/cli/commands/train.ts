import { Command, Option } from 'commander';
import type { Model } from '../../models/model.js';
import { plotHistory } from '../../plot/history.js';
import { EXIT_INTERRUPTED } from '../errors.js';
import { InterruptGuard } from '../interrupt.js';
import { isModelKind, MODEL_KINDS, OPTIMIZER_NAMES, type OptimizerName } from '../model-kinds.js';
import { imageSize, nonNegativeInt, positiveInt, positiveNumber } from '../options.js';
import { createRunFolder, writeHistoryFiles } from '../run-folder.js';
import { writeRunReport } from '../run-report.js';
import { RunSession } from '../run-session.js';
import { syntheticImageFolder } from '../synthetic-folder.js';
import { trainOnImages } from '../train-images.js';
import { splitFolders, type TrainSettings } from '../train-settings.js';
import { trainSqueezenet } from '../train-squeezenet.js';

interface TrainFlags {
  model: string;
  epochs: number;
  batchSize: number;
  stepsPerEpoch?: number;
  validationSteps?: number;
  augment: boolean;
  lr?: number;
  optimizer: OptimizerName;
  seed: number;
  imageSize: number;
  out?: string;
  weights: string;
}

/** `deeptype train [dataDir]`: trains a model and writes a run folder with everything about it. */
export function trainCommand(): Command {
  return new Command('train')
    .description('train a convnet on a folder with train/ and validation/ class folders (cats_and_dogs_small layout) ' +
      'and write a run folder: model.h5, history.json/.csv/.png, summary.txt, run.json, report.html. ' +
      'Without a data folder, a synthetic two-class image set is generated once and used.')
    .argument('[dataDir]', 'data folder (default: the synthetic set under $DEEPTYPE_HOME/datasets)')
    .option('--model <kind|file.h5>', `${MODEL_KINDS.join(' | ')}, or a saved model to train further`, 'lecture')
    .option('--epochs <n>', 'epochs (each phase of squeezenet-finetune)', positiveInt, 5)
    .option('--batch-size <n>', 'images per step', positiveInt, 20)
    .option('--steps-per-epoch <n>', 'steps per epoch (default: all training images once; squeezenet: images whose features are extracted = steps × batch size)', positiveInt)
    .option('--validation-steps <n>', 'validation batches (default: all validation images)', positiveInt)
    .option('--augment', "the lecture's augmentation: rotation 40°, shifts 0.2, shear 0.2, zoom 0.2, horizontal flip (not used on extracted features)", false)
    .option('--lr <rate>', 'learning rate (default: 1e-4 for the lecture convnets, 2e-5 for a head on SqueezeNet; fine-tuning uses 1e-5)', positiveNumber)
    .addOption(new Option('--optimizer <name>', 'optimizer').choices(OPTIMIZER_NAMES).default('rmsprop'))
    .option('--seed <n>', 'random seed (weights, shuffling, augmentation)', nonNegativeInt, 1)
    .option('--image-size <px>', 'side of the square images the model sees', imageSize, 150)
    .option('--out <dir>', 'run folder (default: runs/<model>-<date>-<time>)')
    .option('--weights <file>', "SqueezeNet ImageNet weights file ('imagenet': look in $DEEPTYPE_HOME/models and ~/.keras/models)", 'imagenet')
    .action(async (dataDir: string | undefined, flags: TrainFlags, command: Command) => {
      const optimizerChosen = command.getOptionValueSource('optimizer') === 'cli';
      await train(dataDir, flags, optimizerChosen);
    });
}

async function train(dataDir: string | undefined, flags: TrainFlags, optimizerChosen: boolean): Promise<void> {
  const data = dataDir ?? await syntheticImageFolder();
  const folders = splitFolders(data);
  const settings: TrainSettings = {
    data, model: flags.model, epochs: flags.epochs, batchSize: flags.batchSize, augment: flags.augment,
    optimizer: flags.optimizer, seed: flags.seed, imageSize: flags.imageSize, weights: flags.weights,
    ...(flags.stepsPerEpoch === undefined ? {} : { stepsPerEpoch: flags.stepsPerEpoch }),
    ...(flags.validationSteps === undefined ? {} : { validationSteps: flags.validationSteps }),
    ...(flags.lr === undefined ? {} : { learningRate: flags.lr }),
  };
  const kindName = isModelKind(flags.model) ? flags.model : 'model';
  const dir = await createRunFolder(flags.out, kindName);
  console.log(`Run folder: ${dir}`);
  const guard = new InterruptGuard(() => `What was saved is in ${dir}.`);
  const recorded: Record<string, number | string | boolean> = {
    epochs: settings.epochs, 'batch size': settings.batchSize, augment: settings.augment, optimizer: settings.optimizer,
    'learning rate': settings.learningRate ?? 'default', seed: settings.seed,
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
  await model.save(files.model);
  const history = session.history!;
  await writeHistoryFiles(session.dir, history);
  const hasCurves = history.epoch.length > 0;
  if (hasCurves) await plotHistory(history, files.historyPng);
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
