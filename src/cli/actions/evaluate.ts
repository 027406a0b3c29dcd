import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { flowFrom, requireFolder } from '../image-input.js';
import { predictFolder, requireClassifier, scoreClasses } from '../predictions.js';
import { loadSavedModel } from '../saved-model.js';

/** A data folder in the lecture's layout is evaluated on its test/ split; any other folder as it is. */
function evaluationFolder(dir: string): string {
  requireFolder(dir, 'data folder');
  const test = join(dir, 'test');
  return existsSync(test) && statSync(test).isDirectory() ? test : dir;
}

/** Scores a saved classifier on labelled images and prints loss, accuracy, the confusion matrix and each class's accuracy. */
export async function evaluate(file: string, dataDir: string, flags: { batchSize: number; json: boolean }): Promise<void> {
  const folder = evaluationFolder(dataDir);
  const saved = await loadSavedModel(file, false);
  const classes = requireClassifier(saved.model, file);
  const iterator = flowFrom(folder, { imageSize: saved.imageSize, preprocessing: saved.preprocessing, batchSize: flags.batchSize, classes });
  if (iterator.numClasses > classes) {
    throw new InputError(`${folder}: holds ${iterator.numClasses} class folders but ${file} tells ${classes} classes apart`);
  }
  const scores = scoreClasses(await predictFolder(saved.model, iterator), classes);
  const names = Object.keys(iterator.classIndices);
  if (flags.json) {
    console.log(JSON.stringify({ folder, loss: scores.loss, acc: scores.acc, samples: scores.samples, classes: names,
      confusion: scores.confusion, classAcc: Object.fromEntries(names.map((n, c) => [n, scores.classAcc[c]])) }));
    return;
  }
  const width = Math.max(...names.map((n) => n.length), 9);
  console.log(`\n${folder}: ${scores.samples} images\nloss: ${scores.loss.toFixed(4)} - acc: ${scores.acc.toFixed(4)}\n`);
  console.log(`${'true \\ predicted'.padEnd(width + 6)}${names.map((n) => n.padStart(width)).join(' ')}`);
  scores.confusion.forEach((row, i) => console.log(`${names[i]!.padEnd(width + 6)}${row.map((c) => String(c).padStart(width)).join(' ')}` +
    `   acc ${scores.classAcc[i]!.toFixed(4)}`));
}
