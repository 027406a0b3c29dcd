import type { DirectoryIterator } from '../data/directory-iterator.js';
import { EPSILON } from '../losses/losses.js';
import type { Model } from '../models/model.js';
import { Random } from '../tensor/random.js';
import { Progbar } from '../training/progbar.js';
import { InputError } from './errors.js';

/** A binary classifier's outputs over a folder, with the truth for each image. */
export interface FolderPredictions {
  /** P(class 1) per image, in file order. */
  probabilities: Float32Array;
  /** True class index per image. */
  labels: Int32Array;
  /** Image paths, in the same order. */
  files: string[];
}

/** Fails unless the model ends in one sigmoid-like output, the lecture's binary classifier. */
export function requireBinaryModel(model: Model, where: string): void {
  const shape = model.outputShape;
  if (!shape || shape.length !== 2 || shape[1] !== 1) {
    throw new InputError(`${where}: expected a binary classifier with output shape (None, 1), got ${shape ? `(${shape.map((d) => d ?? 'None').join(', ')})` : 'an unbuilt model'}`);
  }
}

/**
 * Runs the model over the first `maxSamples` files of a directory iterator (default all), once
 * each in file order, with a progress bar. Unreadable images (the iterator warns about each)
 * are left out with their files, so every probability stays paired with its file and label,
 * even when a whole batch is unreadable.
 */
export async function predictFolder(model: Model, iterator: DirectoryIterator, maxSamples = Infinity): Promise<FolderPredictions> {
  const target = Math.min(iterator.samples, maxSamples);
  const chunks: number[][] = [];
  for (let start = 0; start < target; start += iterator.batchSize) {
    chunks.push(Array.from({ length: Math.min(iterator.batchSize, target - start) }, (_, i) => start + i));
  }
  const probabilities: number[] = [];
  const labels: number[] = [];
  const files: string[] = [];
  const progress = new Progbar(target);
  const rng = new Random(0); // the iterators scored here draw no augmentation
  // The next chunk decodes while the model runs on this one.
  let ahead = chunks.length > 0 ? iterator.readSamples(chunks[0]!, rng) : null;
  for (const [k, chunk] of chunks.entries()) {
    const { batch, indices } = await ahead!;
    ahead = k + 1 < chunks.length ? iterator.readSamples(chunks[k + 1]!, rng) : null;
    if (batch) {
      const out = (await model.predict(batch[0], { batchSize: indices.length })).f32;
      indices.forEach((index, i) => {
        probabilities.push(out[i]!);
        labels.push(iterator.classes[index]!);
        files.push(iterator.filepaths[index]!);
      });
    }
    progress.update(chunk[chunk.length - 1]! + 1);
  }
  if (probabilities.length === 0) throw new InputError(`none of the ${target} images in ${iterator.directory} could be read`);
  return { probabilities: Float32Array.from(probabilities), labels: Int32Array.from(labels), files };
}

/** Loss, accuracy and the 2×2 confusion matrix (rows: true class, columns: predicted class). */
export interface BinaryScores {
  loss: number;
  acc: number;
  confusion: [[number, number], [number, number]];
  samples: number;
}

/** Binary crossentropy and accuracy at threshold 0.5, as Keras's evaluate reports them. */
export function scoreBinary(p: FolderPredictions): BinaryScores {
  const confusion: [[number, number], [number, number]] = [[0, 0], [0, 0]];
  let loss = 0;
  p.probabilities.forEach((prob, i) => {
    const truth = p.labels[i]!;
    // Clipped as Keras's binary crossentropy does, so a confident mistake costs a finite loss.
    const clipped = Math.min(1 - EPSILON, Math.max(EPSILON, prob));
    loss -= truth === 1 ? Math.log(clipped) : Math.log(1 - clipped);
    confusion[truth as 0 | 1][prob > 0.5 ? 1 : 0] += 1;
  });
  const n = p.probabilities.length;
  return { loss: loss / n, acc: (confusion[0][0] + confusion[1][1]) / n, confusion, samples: n };
}

/** Indices of the wrongly classified images, the most confidently wrong first. */
export function misclassified(p: FolderPredictions): number[] {
  const wrong = [...p.probabilities.keys()].filter((i) => (p.probabilities[i]! > 0.5 ? 1 : 0) !== p.labels[i]);
  const confidence = (i: number): number => Math.abs(p.probabilities[i]! - 0.5);
  return wrong.sort((a, b) => confidence(b) - confidence(a));
}
