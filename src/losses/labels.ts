import { reshape } from '../ops/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Targets as float32 in the predictions' shape. Labels [batch] are accepted for predictions
 * [batch, 1] (what image iterators give for binary classes); any other mismatch is an error.
 */
export function asTargets(yTrue: Tensor, yPred: Tensor, where: string): Tensor {
  if (yTrue.size !== yPred.size || yTrue.shape[0] !== yPred.shape[0]) {
    throw new Error(`${where}: targets of shape [${yTrue.shape.join(', ')}] do not match predictions of shape [${yPred.shape.join(', ')}]`);
  }
  const floats = yTrue.dtype === 'float32' ? yTrue : new Tensor(Float32Array.from(yTrue.data), yTrue.shape);
  return floats.rank === yPred.rank ? floats : reshape(floats, yPred.shape);
}

/**
 * Fails unless every target is in [0, 1]: a label of 2 (three class folders read with classMode
 * 'binary') or NaN would give a negative or NaN loss that trains toward nonsense without a word.
 */
export function checkProbabilities(targets: Tensor, where: string): void {
  const data = targets.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!(v >= 0 && v <= 1)) {
      throw new Error(`${where}: label ${v} at index ${i} is outside [0, 1]; binary labels are 0 or 1 ` +
        '(more than two class folders read with classMode \'binary\' give labels 0, 1, 2, …: use categorical labels)');
    }
  }
}

/** Integer class labels [batch] or [batch, 1] → one-hot [batch, classes]. */
export function oneHot(labels: Tensor, classes: number, where: string): Tensor {
  const batch = labels.shape[0] ?? 0;
  if (labels.size !== batch) {
    throw new Error(`${where}: expected integer labels of shape [batch] or [batch, 1], got [${labels.shape.join(', ')}]`);
  }
  const out = new Float32Array(batch * classes);
  for (let i = 0; i < batch; i++) {
    const c = labels.data[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= classes) {
      throw new Error(`${where}: label ${c} at index ${i} is not a class index in [0, ${classes})`);
    }
    out[i * classes + c] = 1;
  }
  return new Tensor(out, [batch, classes]);
}
