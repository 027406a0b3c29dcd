import { Command, Option } from 'commander';
import type { TrainFlags } from '../actions/train.js';
import { imageSize, MODEL_KINDS, nonNegativeInt, OPTIMIZER_CHOICES, positiveInt, positiveNumber } from '../options.js';

/** `deeptype train [dataDir]`: trains a model and writes a run folder with everything about it. */
export function trainCommand(): Command {
  return new Command('train')
    .description('train a convnet on a folder with train/ and validation/ class folders (cats_and_dogs_small layout) ' +
      'and write a run folder: model.h5, history.json/.csv/.png, summary.txt, run.json, report.html. ' +
      'Two class folders train a sigmoid output; three or more, a softmax over them. ' +
      'Without a data folder, a synthetic two-class image set is generated once and used.')
    .argument('[dataDir]', 'data folder (default: the synthetic set under $DEEPTYPE_HOME/datasets)')
    .option('--model <kind|file.h5>', `${MODEL_KINDS.join(' | ')}, or a saved model to train further`, 'lecture')
    .option('--epochs <n>', 'epochs (each phase of squeezenet-finetune)', positiveInt, 10)
    .option('--batch-size <n>', 'images per step', positiveInt, 20)
    .option('--steps-per-epoch <n>', 'steps per epoch (default: all training images once; squeezenet: images whose features are extracted = steps × batch size)', positiveInt)
    .option('--validation-steps <n>', 'validation batches (default: all validation images)', positiveInt)
    .option('--augment', "the lecture's augmentation: rotation 40°, shifts 0.2, shear 0.2, zoom 0.2, horizontal flip (not used on extracted features)", false)
    .option('--lr <rate>', 'learning rate (default: 1e-4 for the lecture convnets, 2e-5 for a head on SqueezeNet; fine-tuning uses 1e-5)', positiveNumber)
    .addOption(new Option('--optimizer <name>', 'optimizer').choices(OPTIMIZER_CHOICES).default('rmsprop'))
    .option('--seed <n>', 'random seed (weights, shuffling, augmentation)', nonNegativeInt, 1)
    .option('--image-size <px>', 'side of the square images the model sees (a saved model keeps its own)', imageSize, 150)
    .option('--out <dir>', 'run folder (default: runs/<model>-<date>-<time>)')
    .option('--force', 'write into an --out folder that already holds a run', false)
    .option('--weights <file>', "SqueezeNet weights file ('imagenet': the ImageNet weights the package ships)", 'imagenet')
    .action(async (dataDir: string | undefined, flags: TrainFlags, command: Command) => {
      const optimizerChosen = command.getOptionValueSource('optimizer') === 'cli';
      const { train } = await import('../actions/train.js');
      await train(dataDir, flags, optimizerChosen);
    });
}

