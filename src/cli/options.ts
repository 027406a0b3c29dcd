import { InvalidArgumentError } from 'commander';
import { OPTIMIZER_NAMES, type OptimizerName } from '../optimizers/names.js';

// Only names and parsers live here: command definitions import this file, and --help must not
// wait for the library (h5wasm, vega and sharp take seconds to load).

/** The models `deeptype train --model` builds; anything else is read as a .h5 file to continue. */
export const MODEL_KINDS = ['lecture', 'lecture-dropout', 'squeezenet-features', 'squeezenet-finetune'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** `--optimizer`'s choices: the optimizer table's names in lower case, as Keras spells them in strings. */
export const OPTIMIZER_CHOICES = OPTIMIZER_NAMES.map((name) => name.toLowerCase() as OptimizerChoice);
export type OptimizerChoice = Lowercase<OptimizerName>;

/** True for a built-in model kind; any other `--model` value is read as a .h5 file. */
export function isModelKind(value: string): value is ModelKind {
  return (MODEL_KINDS as readonly string[]).includes(value);
}

/** Commander argument parser for a positive integer option (`--epochs 5`). */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer.');
  return n;
}

/** Commander argument parser for a non-negative integer option (`--seed 0`). */
export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer.');
  return n;
}

/** Commander argument parser for a positive number (`--lr 1e-4`). */
export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number.');
  return n;
}

/**
 * The smallest side the lecture convnet accepts: four valid 3×3 convolutions, each followed by
 * a 2×2 pool, leave a 1×1 map at 62 px and nothing below.
 */
export const MIN_IMAGE_SIZE = 62;

/** Commander argument parser for `--image-size`: one side, for square images. */
export function imageSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < MIN_IMAGE_SIZE) {
    throw new InvalidArgumentError(`expected an integer of at least ${MIN_IMAGE_SIZE} (pixels per side).`);
  }
  return n;
}
