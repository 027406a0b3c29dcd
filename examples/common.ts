/**
 * What the lecture's examples share: command-line options, the data folders, the conv base and
 * saving results. Each example reads top to bottom like the lecture's R code; this file keeps
 * the plumbing out of the way.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  applications, flowImagesFromDirectory, plotHistory, type DirectoryIterator, type Functional, type History,
  type ImageDataGenerator, type Model,
} from '../src/index.js';

/** The lecture's data, beside this repository. */
const SHARED = fileURLToPath(new URL('../../shared/data/', import.meta.url));

export interface ExampleOptions {
  /** Folder with train/, validation/ and test/ (cats_and_dogs_small). */
  data: string;
  /** Conv base for transfer learning: SqueezeNet (its ImageNet weights ship in the package) or the lecture's VGG16. */
  base: 'squeezenet' | 'vgg16';
  /** Pretrained weights file, or 'imagenet': SqueezeNet's shipped file, VGG16's from $DEEPTYPE_HOME/models or ~/.keras/models. */
  weights: string;
  epochs: number;
  /** Epochs of the dense head before fine-tuning (06). */
  headEpochs: number;
  steps: number;
  validationSteps: number;
  batchSize: number;
  imageSize: number;
  /** Where models and plots go. */
  out: string;
  /** A trained model to look inside (07, 09): default the one 03 saves. */
  model: string;
  /** The photo to look at (07, 09): default the first cat of the test split. */
  image: string;
}

/**
 * Parses `--data --weights --base --epochs --head-epochs --steps --validation-steps --batch-size
 * --image-size --out --model --image --lecture`. Defaults are small, for a run of a minute or two; `--lecture`
 * switches them to the lecture's settings (given per example). Any flag overrides either.
 */
export function exampleOptions(defaults: { epochs: number; steps?: number; headEpochs?: number }): ExampleOptions {
  const lecture = process.argv.includes('--lecture');
  const { values } = parseArgs({
    options: {
      lecture: { type: 'boolean', default: false },
      data: { type: 'string', default: join(SHARED, 'cats_and_dogs_small') },
      base: { type: 'string', default: 'squeezenet' },
      weights: { type: 'string' },
      epochs: { type: 'string', default: String(lecture ? defaults.epochs : 2) },
      'head-epochs': { type: 'string', default: String(lecture ? defaults.headEpochs ?? 30 : 2) },
      steps: { type: 'string', default: String(lecture ? defaults.steps ?? 100 : 10) },
      'validation-steps': { type: 'string', default: lecture ? '50' : '5' },
      'batch-size': { type: 'string', default: '20' },
      'image-size': { type: 'string', default: '150' },
      out: { type: 'string', default: join('runs', 'examples') },
      model: { type: 'string' },
      image: { type: 'string' },
    },
  });
  const base = values.base;
  if (base !== 'squeezenet' && base !== 'vgg16') throw new Error(`--base must be squeezenet or vgg16, got ${base}`);
  if (!existsSync(values.data)) throw new Error(`data folder not found: ${values.data}; pass --data <folder with train/ validation/ test/>`);
  const count = (name: string, text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${text}`);
    return n;
  };
  mkdirSync(values.out, { recursive: true });
  return {
    data: values.data,
    base,
    weights: values.weights ?? 'imagenet',
    epochs: count('epochs', values.epochs),
    headEpochs: count('head-epochs', values['head-epochs']),
    steps: count('steps', values.steps),
    validationSteps: count('validation-steps', values['validation-steps']),
    batchSize: count('batch-size', values['batch-size']),
    imageSize: count('image-size', values['image-size']),
    out: values.out,
    model: values.model ?? join(values.out, 'cats_and_dogs_small_2.h5'),
    image: values.image ?? firstImage(join(values.data, 'test', 'cats')),
  };
}

/** The first image file of a folder, by name. */
function firstImage(dir: string): string {
  const found = existsSync(dir) ? readdirSync(dir).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort() : [];
  if (found.length === 0) throw new Error(`no image in ${dir}; pass --image <file>`);
  return join(dir, found[0]!);
}

/** The lecture's augmentation: rotations, shifts, shear, zoom and horizontal flips. */
export const AUGMENTATION = {
  rotationRange: 40,
  widthShiftRange: 0.2,
  heightShiftRange: 0.2,
  shearRange: 0.2,
  zoomRange: 0.2,
  horizontalFlip: true,
} as const;

/** `flow_images_from_directory(file.path(base_dir, split), generator, target_size, batch_size, class_mode = "binary")`. */
export function flow(o: ExampleOptions, split: 'train' | 'validation' | 'test', generator: ImageDataGenerator,
  shuffle = true): DirectoryIterator {
  return flowImagesFromDirectory(join(o.data, split), generator, {
    targetSize: [o.imageSize, o.imageSize], batchSize: o.batchSize, classMode: 'binary', shuffle,
  });
}

/**
 * The pretrained convolutional base without its classifier. SqueezeNet ends in global average
 * pooling (512 features); VGG16 in its 512-channel map, flattened by the model as in the lecture.
 */
export async function convBase(o: ExampleOptions): Promise<Functional> {
  const inputShape: [number, number, number] = [o.imageSize, o.imageSize, 3];
  return o.base === 'squeezenet'
    ? applications.squeezenet({ weights: o.weights, includeTop: false, inputShape, pooling: 'avg' })
    : applications.vgg16({ weights: o.weights, includeTop: false, inputShape });
}

/** The preprocessing the base's ImageNet weights expect (caffe mode for both). */
export function basePreprocessing(o: ExampleOptions): (typeof applications.squeezenet)['preprocessInput'] {
  return o.base === 'squeezenet' ? applications.squeezenet.preprocessInput : applications.vgg16.preprocessInput;
}

/** `save_model_hdf5(model, file)` and `plot(history)`, into the output folder. */
export async function saveResults(o: ExampleOptions, name: string, model: Model, history: History): Promise<void> {
  await model.save(join(o.out, `${name}.h5`));
  await plotHistory(history, join(o.out, `${name}.png`));
  const last = history.epoch.length - 1;
  console.log(`\nSaved ${join(o.out, `${name}.h5`)} and ${join(o.out, `${name}.png`)}; ` +
    `last epoch: acc ${history.history.acc![last]!.toFixed(3)}, val_acc ${history.history.val_acc![last]!.toFixed(3)}`);
}
