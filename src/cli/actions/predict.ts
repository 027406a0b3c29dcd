import { Progbar } from '../../training/progbar.js';
import { expandImagePaths, loadImages } from '../image-input.js';
import { loadSavedModel } from '../saved-model.js';

interface Prediction {
  file: string;
  class: string;
  /** Probability of the predicted class. */
  probability: number;
}

/** The predicted class and its probability from one output row: a sigmoid (1 unit) or a softmax. */
function decide(row: Float32Array, classNames: readonly string[]): { class: string; probability: number } {
  if (row.length === 1) {
    const p = row[0]!;
    return p > 0.5 ? { class: classNames[1]!, probability: p } : { class: classNames[0]!, probability: 1 - p };
  }
  let best = 0;
  row.forEach((v, i) => (best = v > row[best]! ? i : best));
  return { class: classNames[best] ?? String(best), probability: row[best]! };
}

/** Prints the class and its probability for each image file (folders expanded), as text or JSON. */
export async function predict(file: string, inputs: string[], flags: { json: boolean; batchSize: number }): Promise<void> {
  const paths = expandImagePaths(inputs);
  const saved = await loadSavedModel(file, false);
  const results: Prediction[] = [];
  // The bar goes to stderr, so stdout holds only the results and can be piped.
  const progress = paths.length > flags.batchSize ? new Progbar(paths.length, process.stderr) : null;
  for (let start = 0; start < paths.length; start += flags.batchSize) {
    const chunk = paths.slice(start, start + flags.batchSize);
    const out = await saved.model.predict(await loadImages(chunk, saved.imageSize, saved.preprocessing), { batchSize: flags.batchSize });
    const width = out.size / chunk.length;
    chunk.forEach((path, i) => results.push({ file: path, ...decide(out.f32.subarray(i * width, (i + 1) * width), saved.classNames) }));
    progress?.update(results.length);
  }
  if (flags.json) console.log(JSON.stringify(results, null, 2));
  else for (const r of results) console.log(`${r.file}\t${r.class}\t${r.probability.toFixed(4)}`);
}
