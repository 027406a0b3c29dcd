import { valueAndGrads } from '../autograd/grad.js';
import { noGrad } from '../autograd/tape.js';
import type { Model } from '../models/model.js';
import { inStepScope } from '../ops/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Logs } from './callbacks/callback.js';
import { type CompiledState, labelsPerOutput, metricResults, totalLoss } from './compile.js';
import { asList, type BatchThunk, type Labels } from './batches.js';

function requireLabels(compiled: CompiledState, y: Labels | null, where: string): readonly Tensor[] {
  if (!y) throw new Error(`${where}: the data has no labels (an iterator with classMode null cannot train or evaluate)`);
  return labelsPerOutput(compiled, y, where);
}

/**
 * One optimizer step on one batch: forward with training behaviour, loss, gradients of the
 * weights collected at compile, update in place. Every intermediate buffer is recycled. The logs
 * hold the loss and metrics over every sample since the last resetMetrics, as Keras 3's do.
 */
export function trainStep(model: Model, compiled: CompiledState, take: BatchThunk): Logs {
  return inStepScope(() => {
    const [x, yRaw] = take();
    const ys = requireLabels(compiled, yRaw, 'fit');
    let predictions: Tensor[] = [];
    const weights = compiled.trainableWeights;
    const { value, grads } = valueAndGrads(() => {
      predictions = model.callOutputs(asList(x), { training: true });
      return totalLoss(compiled, ys, predictions);
    }, weights.map((w) => w.value));
    const size = asList(x)[0]!.shape[0]!;
    compiled.lossMean.add(value.item(), size);
    noGrad(() => compiled.metrics.forEach((m) => m.metric.update(ys[m.output]!, predictions[m.output]!)));
    if (weights.length > 0) compiled.optimizer.applyGradients(weights, grads);
    return { batch: 0, size, ...metricResults(compiled) };
  });
}

/** One batch in inference mode, added to the loss and metrics (logs: their values since the last reset). */
export function testStep(model: Model, compiled: CompiledState, take: BatchThunk): Logs {
  return inStepScope(() => noGrad(() => {
    const [x, yRaw] = take();
    const ys = requireLabels(compiled, yRaw, 'evaluate');
    const predictions = model.callOutputs(asList(x), { training: false });
    const size = asList(x)[0]!.shape[0]!;
    compiled.lossMean.add(totalLoss(compiled, ys, predictions).item(), size);
    for (const m of compiled.metrics) m.metric.update(ys[m.output]!, predictions[m.output]!);
    return { size, ...metricResults(compiled) };
  }));
}
