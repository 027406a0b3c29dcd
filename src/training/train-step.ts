import { valueAndGrads } from '../autograd/grad.js';
import { noGrad } from '../autograd/tape.js';
import type { Model } from '../models/model.js';
import { inStepScope } from '../ops/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Logs } from './callbacks/callback.js';
import { type CompiledState, metricResults } from './compile.js';
import type { BatchThunk } from './batches.js';

function requireLabels(y: Tensor | null, where: string): Tensor {
  if (!y) throw new Error(`${where}: the data has no labels (an iterator with classMode null cannot train or evaluate)`);
  return y;
}

/**
 * One optimizer step on one batch: forward with training behaviour, loss, gradients of the
 * weights collected at compile, update in place. Every intermediate buffer is recycled. The logs
 * hold the loss and metrics over every sample since the last resetMetrics, as Keras 3's do.
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
    const size = x.shape[0]!;
    compiled.lossMean.add(value.item(), size);
    noGrad(() => compiled.metrics.forEach((m) => m.metric.update(y, prediction!)));
    if (weights.length > 0) compiled.optimizer.applyGradients(weights, grads);
    return { batch: 0, size, ...metricResults(compiled) };
  });
}

/** One batch in inference mode, added to the loss and metrics (logs: their values since the last reset). */
export function testStep(model: Model, compiled: CompiledState, take: BatchThunk): Logs {
  return inStepScope(() => noGrad(() => {
    const [x, yRaw] = take();
    const y = requireLabels(yRaw, 'evaluate');
    const prediction = model.apply(x, { training: false });
    const size = x.shape[0]!;
    compiled.lossMean.add(compiled.loss(y, prediction).item(), size);
    for (const m of compiled.metrics) m.metric.update(y, prediction);
    return { size, ...metricResults(compiled) };
  }));
}
