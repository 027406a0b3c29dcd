import { Progbar } from '../../training/progbar.js';
import { InputError } from '../errors.js';
import { expandImagePaths, loadImages } from '../image-input.js';
import { classProbabilities, predictedClass } from '../predictions.js';
import { loadSavedModel } from '../saved-model.js';

interface Prediction {
  file: string;
  class: string;
  /** Probability of the predicted class. */
  probability: number;
  /** Every class's probability, by class name. */
  probabilities: Record<string, number>;
}

/** The predicted class, its probability and every class's, from one output row: a sigmoid (1 unit) or a softmax. */
function decide(file: string, row: Float32Array, classNames: readonly string[]): Prediction {
  const all = classProbabilities(row);
  const best = predictedClass(row);
  const name = (k: number): string => classNames[k] ?? String(k);
  return { file, class: name(best), probability: all[best]!, probabilities: Object.fromEntries(all.map((p, k) => [name(k), p])) };
}

/**
 * Prints the class and its probability for each image file (folders expanded), as text or JSON.
 * Unreadable files are skipped with a warning each and counted on stderr at the end; the
 * command fails only when none can be read.
 */
export async function predict(file: string, inputs: string[], flags: { json: boolean; batchSize: number }): Promise<void> {
  const paths = expandImagePaths(inputs);
  const saved = await loadSavedModel(file, false);
  const results: Prediction[] = [];
  const skipped: string[] = [];
  // The bar goes to stderr, so stdout holds only the results and can be piped.
  const progress = paths.length > flags.batchSize ? new Progbar(paths.length, process.stderr) : null;
  for (let start = 0; start < paths.length; start += flags.batchSize) {
    const { batch, loaded, skipped: unread } = await loadImages(paths.slice(start, start + flags.batchSize), saved.imageSize, saved.preprocessing);
    skipped.push(...unread);
    if (batch) {
      const out = await saved.model.predict(batch, { batchSize: flags.batchSize });
      const width = out.size / loaded.length;
      loaded.forEach((path, i) => results.push(decide(path, out.f32.subarray(i * width, (i + 1) * width), saved.classNames)));
    }
    progress?.update(Math.min(paths.length, start + flags.batchSize));
  }
  if (results.length === 0) {
    throw new InputError(paths.length === 1 ? skipped[0]! : `none of the ${paths.length} images could be read (first: ${skipped[0]})`);
  }
  for (const reason of skipped) console.warn(`deeptype: skipped ${reason}`);
  if (skipped.length > 0) console.warn(`deeptype: skipped ${skipped.length} of ${paths.length} images that could not be read`);
  if (flags.json) console.log(JSON.stringify(results, null, 2));
  else {
    // Beyond two classes, a fourth column lists every class's probability.
    const all = (r: Prediction): string => Object.entries(r.probabilities).map(([name, p]) => `${name}=${p.toFixed(4)}`).join(' ');
    for (const r of results) console.log(`${r.file}\t${r.class}\t${r.probability.toFixed(4)}${saved.classNames.length > 2 ? `\t${all(r)}` : ''}`);
  }
}
