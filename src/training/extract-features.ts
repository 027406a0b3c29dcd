import { noGrad } from '../autograd/tape.js';
import type { BatchIterator } from '../data/batch-iterator.js';
import type { Model } from '../models/model.js';
import { inStepScope } from '../ops/scope.js';
import { Tensor } from '../tensor/tensor.js';
import { Progbar } from './progbar.js';

export interface ExtractFeaturesOptions {
  /** How many samples to take from the iterator; default its `samples`. */
  samples?: number;
  /** Show a progress bar; default true. */
  verbose?: boolean;
}

/**
 * The lecture's feature extraction: runs a (frozen) convolutional base over `samples` images
 * from the iterator and collects its outputs with the matching labels, in iterator order.
 * A last batch that overshoots `samples` is cut, as the lecture's R loop does. Images the
 * iterator cannot read are left out (it warns about each), so the result then has fewer rows
 * than `samples`; no image is taken twice to make up for them.
 * @example const { features, labels } = await extractFeatures(convBase, trainIterator, { samples: 2000 });
 */
export async function extractFeatures(base: Model, iterator: BatchIterator, options: ExtractFeaturesOptions = {}):
  Promise<{ features: Tensor; labels: Tensor }> {
  const samples = options.samples ?? iterator.samples;
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`extractFeatures: samples must be a positive integer, got ${samples}`);
  const progress = new Progbar(samples, process.stdout, options.verbose === false);
  let features: Float32Array | null = null;
  let labels: Float32Array | null = null;
  let featureShape: readonly number[] = [];
  let labelShape: readonly number[] = [];
  let visited = 0;
  let rows = 0;
  while (visited < samples) {
    const { batch, planned } = iterator.nextPlanned ? await iterator.nextPlanned() : await nextAsPlanned(iterator);
    // A batch that overshoots `samples` is cut to as many rows as it had planned samples before
    // the cut.
    const within = Math.min(planned, samples - visited);
    visited += within;
    progress.update(visited);
    if (!batch) continue;
    const [x, y] = batch;
    if (!y) throw new Error('extractFeatures: the iterator gives no labels (classMode null); use model.predict instead');
    const take = Math.min(x.shape[0]!, within);
    inStepScope(() => noGrad(() => {
      const out = base.apply(x, { training: false });
      const row = out.size / out.shape[0]!;
      const labelRow = y.size / y.shape[0]!;
      if (!features || !labels) {
        featureShape = out.shape.slice(1);
        labelShape = y.shape.slice(1);
        features = new Float32Array(samples * row);
        labels = new Float32Array(samples * labelRow);
      }
      features.set(out.f32.subarray(0, take * row), rows * row);
      labels.set(Float32Array.from(y.data.subarray(0, take * labelRow)), rows * labelRow);
    }));
    rows += take;
  }
  if (!features || !labels) throw new Error(`extractFeatures: none of the ${samples} images could be read`);
  const f: Float32Array = features;
  const l: Float32Array = labels;
  const featureRow = f.length / samples;
  const labelRow = l.length / samples;
  return {
    features: new Tensor(f.subarray(0, rows * featureRow), [rows, ...featureShape]),
    labels: new Tensor(l.subarray(0, rows * labelRow), [rows, ...labelShape]),
  };
}

async function nextAsPlanned(iterator: BatchIterator): Promise<{ batch: [Tensor, Tensor | null]; planned: number }> {
  const batch = await iterator.next();
  return { batch, planned: batch[0].shape[0]! };
}
