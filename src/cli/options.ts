import { InvalidArgumentError } from 'commander';

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
