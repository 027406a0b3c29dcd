import type { Model } from '../../models/model.js';

/**
 * The optimizer's rate as Keras 3 reads it back from its float32 variable, which is what its
 * callbacks log, print and hand to a schedule function.
 */
export function currentRate(model: Model | undefined, where: string): number {
  const optimizer = model?.compiled?.optimizer;
  if (!optimizer) throw new Error(`${where}: the model is not compiled, so it has no optimizer whose learning rate to follow`);
  return Math.fround(optimizer.learningRate);
}

/** Sets the rate; the optimizer's refusal (a scheduled optimizer, a rate of 0) names the callback. */
export function setRate(model: Model, rate: number, where: string): void {
  try {
    model.compiled!.optimizer.learningRate = rate;
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
}
