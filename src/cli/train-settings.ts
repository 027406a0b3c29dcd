import { join } from 'node:path';
import { requireFolder } from './image-input.js';
import type { OptimizerChoice } from './options.js';

/** `deeptype train`'s options, parsed and checked. */
export interface TrainSettings {
  /** Folder with train/ and validation/ (cats_and_dogs_small layout). */
  data: string;
  /** A model kind, or a .h5 file to continue training. */
  model: string;
  epochs: number;
  batchSize: number;
  /** Default: every training image once per epoch. */
  stepsPerEpoch?: number;
  /** Default: every validation image. */
  validationSteps?: number;
  augment: boolean;
  /** Default: the kind's (see defaultLearningRate). */
  learningRate?: number;
  optimizer: OptimizerChoice;
  seed: number;
  /** Side of the square images the model sees. */
  imageSize: number;
  out?: string;
  /** Pretrained SqueezeNet weights: a file, or 'imagenet' for the ones the package ships. */
  weights: string;
}

/** The split folders of a data folder, checked to exist. */
export function splitFolders(data: string): { train: string; validation: string } {
  requireFolder(data, 'data folder');
  const train = join(data, 'train');
  const validation = join(data, 'validation');
  requireFolder(train, 'training folder (train/ inside the data folder)');
  requireFolder(validation, 'validation folder (validation/ inside the data folder)');
  return { train, validation };
}

/** Steps that cover `samples` once in batches of `batchSize`, unless the user chose fewer or more. */
export function stepsFor(samples: number, batchSize: number, chosen?: number): number {
  return chosen ?? Math.ceil(samples / batchSize);
}
