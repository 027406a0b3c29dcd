import type { DirectoryIterator } from '../data/directory-iterator.js';
import { EPSILON } from '../losses/losses.js';
import type { Model } from '../models/model.js';
import { Random } from '../tensor/random.js';
import { Progbar } from '../training/progbar.js';
import { InputError } from './errors.js';

/** A classifier's outputs over a folder, with the truth for each image. */
export interface FolderPredictions {
  /** The output row per image, in file order: P(class 1) for a sigmoid, a probability per class for a softmax. */
  outputs: Float32Array[];
  /** True class index per image. */
  labels: Int32Array;
  /** Image paths, in the same order. */
  files: string[];
}

/** How many classes a classifier's output tells apart: 2 for one sigmoid unit, else one per unit. */
export function classesOf(units: number): number {
  return units === 1 ? 2 : units;
}

/**
 * Fails unless the model ends in a classifier output (None, k): one sigmoid-like unit, the
 * lecture's binary classifier, or a probability per class. Returns the number of classes.
 */
export function requireClassifier(model: Model, where: string): number {
  const shape = model.outputShape;
  if (!shape || shape.length !== 2 || shape[1] === null) {
    throw new InputError(`${where}: expected a classifier with output shape (None, 1) or (None, classes), got ${shape ? `(${shape.map((d) => d ?? 'None').join(', ')})` : 'an unbuilt model'}`);
  }
  return classesOf(shape[1]);
}

/** Each class's probability from one output row: a sigmoid's unit is P(class 1). */
export function classProbabilities(row: Float32Array): number[] {
  return row.length === 1 ? [1 - row[0]!, row[0]!] : Array.from(row);
}

/** The class of highest probability (class 1 for a sigmoid above 0.5). */
export function predictedClass(row: Float32Array): number {
  if (row.length === 1) return row[0]! > 0.5 ? 1 : 0;
  let best = 0;
  row.forEach((v, i) => (best = v > row[best]! ? i : best));
  return best;
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
  const outputs: Float32Array[] = [];
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
      const width = out.length / indices.length;
      indices.forEach((index, i) => {
        outputs.push(out.slice(i * width, (i + 1) * width));
        labels.push(iterator.classes[index]!);
        files.push(iterator.filepaths[index]!);
      });
    }
    progress.update(chunk[chunk.length - 1]! + 1);
  }
  if (outputs.length === 0) throw new InputError(`none of the ${target} images in ${iterator.directory} could be read`);
  return { outputs, labels: Int32Array.from(labels), files };
}

/** Loss, accuracy, the confusion matrix (rows: true class, columns: predicted class) and each class's accuracy. */
export interface ClassScores {
  loss: number;
  acc: number;
  confusion: number[][];
  /** Per true class: the fraction of its images predicted right (NaN for a class without images). */
  classAcc: number[];
  samples: number;
}

/**
 * Crossentropy and accuracy as Keras's evaluate reports them: binary crossentropy at threshold
 * 0.5 for a sigmoid, categorical crossentropy and the most probable class for a softmax;
 * probabilities clipped as Keras does, so a confident mistake costs a finite loss.
 */
export function scoreClasses(p: FolderPredictions, classes: number): ClassScores {
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let loss = 0;
  p.outputs.forEach((row, i) => {
    const truth = p.labels[i]!;
    const clip = (v: number): number => Math.min(1 - EPSILON, Math.max(EPSILON, v));
    loss -= row.length === 1 ? (truth === 1 ? Math.log(clip(row[0]!)) : Math.log(1 - clip(row[0]!))) : Math.log(clip(row[truth]!));
    confusion[truth]![predictedClass(row)]! += 1;
  });
  const n = p.outputs.length;
  const right = confusion.reduce((sum, row, c) => sum + row[c]!, 0);
  const classAcc = confusion.map((row, c) => row[c]! / row.reduce((a, b) => a + b, 0));
  return { loss: loss / n, acc: right / n, confusion, classAcc, samples: n };
}

/** Indices of the wrongly classified images, the most confidently wrong first. */
export function misclassified(p: FolderPredictions): number[] {
  const wrong = [...p.outputs.keys()].filter((i) => predictedClass(p.outputs[i]!) !== p.labels[i]);
  const confidence = (i: number): number => Math.max(...classProbabilities(p.outputs[i]!));
  return wrong.sort((a, b) => confidence(b) - confidence(a));
}
