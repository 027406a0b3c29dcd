import { valueAndGrads } from '../autograd/grad.js';
import { noGrad } from '../autograd/tape.js';
import type { Model } from '../models/model.js';
import { inStepScope } from '../ops/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Logs } from './callbacks/callback.js';
import type { CompiledState } from './compile.js';
import type { BatchThunk } from './batches.js';

function requireLabels(y: Tensor | null, where: string): Tensor {
  if (!y) throw new Error(`${where}: the data has no labels (an iterator with classMode null cannot train or evaluate)`);
  return y;
}

/**
 * One optimizer step on one batch: forward with training behaviour, loss, gradients of the
 * weights collected at compile, update in place. Every intermediate buffer is recycled.
 */
export function trainStep(model: Model, compiled: CompiledState, take: BatchThunk): Logs {
  return inStepScope(() => {
    const [x, yRaw] = take();
    const y = requireLabels(yRaw, 'fit');
    let prediction: Tensor | null = null;
    const weights = compiled.trainableWeights;
    const { value, grads } = valueAndGrads(() => {
      prediction = model.apply(x, { training: true });
      return compiled.loss(y, prediction);
    }, weights.map((w) => w.value));
    const logs: Logs = { batch: 0, size: x.shape[0]!, loss: value.item() };
    noGrad(() => compiled.metrics.forEach((m) => (logs[m.name] = m.fn(y, prediction!))));
    if (weights.length > 0) compiled.optimizer.applyGradients(weights, grads);
    return logs;
  });
}

/** Loss and metrics of one batch in inference mode. */
export function testStep(model: Model, compiled: CompiledState, take: BatchThunk): Logs {
  return inStepScope(() => noGrad(() => {
    const [x, yRaw] = take();
    const y = requireLabels(yRaw, 'evaluate');
    const prediction = model.apply(x, { training: false });
    const logs: Logs = { size: x.shape[0]!, loss: compiled.loss(y, prediction).item() };
    for (const m of compiled.metrics) logs[m.name] = m.fn(y, prediction);
    return logs;
  }));
}
