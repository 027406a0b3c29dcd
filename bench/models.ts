import type { Backend } from '../src/backend/backend.js';
import { getBackend } from '../src/backend/index.js';
import {
  applications, layers, optimizers, sequential, setSeed, tensor, unfreezeWeights, type Model, type Sequential,
} from '../src/index.js';
import type { Callback } from '../src/training/callbacks/callback.js';
import { filled, formatTable, median } from './harness.js';

/** FLOP per image of model A (bench/README of the peers: flops.py): forward and a training step. */
const MODEL_A_FORWARD_FLOP = 0.472e9;
const MODEL_A_TRAIN_FLOP = 1.379e9;

/** The lecture's convnet: 150×150×3 → conv32/pool/conv64/pool/conv128/pool/conv128/pool/dense512/dense1. */
export function modelA(): Sequential {
  return sequential([
    layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [150, 150, 3] }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.conv2d({ filters: 128, kernelSize: 3, activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.conv2d({ filters: 128, kernelSize: 3, activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.flatten(),
    layers.dense({ units: 512, activation: 'relu' }),
    layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
}

/** Wraps every kernel of the backend object with a timer, so a step can be broken down by kernel. */
function profileKernels(backend: Backend): { totals: Map<string, number>; restore(): void } {
  const totals = new Map<string, number>();
  const target = backend as unknown as Record<string, unknown>;
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  for (const [name, fn] of Object.entries(target)) {
    if (typeof fn !== 'function') continue;
    originals.set(name, fn as (...args: unknown[]) => unknown);
    target[name] = (...args: unknown[]): unknown => {
      const t0 = performance.now();
      const out = (fn as (...a: unknown[]) => unknown)(...args);
      totals.set(name, (totals.get(name) ?? 0) + performance.now() - t0);
      return out;
    };
  }
  return { totals, restore: () => originals.forEach((fn, name) => (target[name] = fn)) };
}

/** Per-batch wall times, from fit's own callbacks. */
function stepTimer(): Callback & { times: number[] } {
  let t0 = 0;
  const times: number[] = [];
  return {
    times,
    onBatchBegin: () => void (t0 = performance.now()),
    onBatchEnd: () => void times.push(performance.now() - t0),
  };
}

/** Model A's figures: median training step and inference (ms), peak RSS after training (MiB). */
export interface ModelAFigures {
  trainMs: number;
  inferMs: number;
  trainRssMiB: number;
}

/** Model A training steps (fit on arrays, RMSprop, binary cross-entropy) and inference. */
export async function runModelA(batch: number, steps: number, breakdown: boolean,
  log: (line: string) => void): Promise<ModelAFigures> {
  setSeed(1);
  const model = modelA();
  model.compile({ loss: 'binaryCrossentropy', optimizer: optimizers.rmsprop({ learningRate: 1e-4 }), metrics: ['acc'] });
  const samples = batch * (steps + 2);
  const x = tensor(filled(samples * 150 * 150 * 3).map((v) => (v + 1) / 2), [samples, 150, 150, 3]);
  const y = tensor(Float32Array.from({ length: samples }, (_, i) => i % 2), [samples, 1]);
  const timer = stepTimer();
  await model.fit(x, y, { epochs: 1, batchSize: batch, verbose: 0, shuffle: false, callbacks: [timer] });
  const warm = timer.times.slice(2).sort((a, b) => a - b);
  const trainMs = warm[Math.floor(warm.length / 2)]!;
  // Peak resident memory of the process so far: data, model and the training steps (no inference yet).
  const trainRssMiB = process.resourceUsage().maxRSS / 1024;

  const probe = breakdown ? profileKernels(getBackend()) : null;
  if (probe) await model.fit(x, y, { epochs: 1, batchSize: batch, verbose: 0, shuffle: false });
  probe?.restore();

  const xb = tensor(filled(batch * 150 * 150 * 3), [batch, 150, 150, 3]);
  await model.predict(xb, { batchSize: batch });
  const inferTimes: number[] = [];
  for (let i = 0; i < Math.max(3, steps); i++) {
    const t0 = performance.now();
    await model.predict(xb, { batchSize: batch });
    inferTimes.push(performance.now() - t0);
  }
  inferTimes.sort((a, b) => a - b);
  const inferMs = inferTimes[Math.floor(inferTimes.length / 2)]!;

  const rate = (flop: number, ms: number): string => ((flop * batch) / ms / 1e6).toFixed(0);
  log(formatTable(['model A, batch ' + batch, 'ms', 'GFLOP/s'], [
    ['training step (median)', trainMs.toFixed(1), rate(MODEL_A_TRAIN_FLOP, trainMs)],
    ['inference', inferMs.toFixed(1), rate(MODEL_A_FORWARD_FLOP, inferMs)],
  ]));
  log(`peak RSS after the training steps: ${trainRssMiB.toFixed(0)} MiB`);
  if (probe) logBreakdown(probe.totals, steps + 2, 'training step', log);
  return { trainMs, inferMs, trainRssMiB };
}

/** Kernel time per run, largest first; the rest of a run is JS outside the kernels. */
function logBreakdown(totals: Map<string, number>, runs: number, what: string, log: (line: string) => void): void {
  const total = [...totals.values()].reduce((s, v) => s + v, 0);
  log(`\nkernel time per ${what} (${runs} profiled; the rest is JS outside kernels):`);
  log(formatTable(['kernel', 'ms', 'share'], [...totals.entries()].sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => [name, (ms / runs).toFixed(1), `${((100 * ms) / total).toFixed(0)}%`])));
}

/** Median wall time of `runs` predictions of one batch at 150×150, after a warm-up prediction. */
async function medianInferenceMs(model: Model, batch: number, runs: number): Promise<number> {
  const xb = tensor(filled(batch * 150 * 150 * 3).map((v) => v * 100), [batch, 150, 150, 3]);
  // Two untimed runs, as the peers' scripts do (ort_bench.js, torch_bench.py's small models).
  for (let i = 0; i < 2; i++) await model.predict(xb, { batchSize: batch });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await model.predict(xb, { batchSize: batch });
    times.push(performance.now() - t0);
  }
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

/** FLOP per image of the VGG16 base at 150×150 (flops.py): forward, and a fine-tuning step with
 * block5 and a dense256/dense1 head trainable (forward + head backward + block5 dW, dX but conv1's). */
const VGG_FORWARD_FLOP = 13.231e9;
const VGG_FINETUNE_FLOP = 15.155e9;

/** VGG16 base (random weights) inference at 150×150, and a fine-tuning step of block5 + head. */
export async function runVgg16(batch: number, steps: number, log: (line: string) => void): Promise<void> {
  setSeed(1);
  const base = await applications.vgg16({ weights: null, includeTop: false, inputShape: [150, 150, 3] });
  const inferMs = await medianInferenceMs(base, batch, Math.max(3, steps));

  const model = sequential([base, layers.flatten(), layers.dense({ units: 256, activation: 'relu' }),
    layers.dense({ units: 1, activation: 'sigmoid' })]);
  unfreezeWeights(base, { from: 'block5_conv1' });
  model.compile({ loss: 'binaryCrossentropy', optimizer: optimizers.rmsprop({ learningRate: 1e-5 }) });
  const samples = batch * (steps + 1);
  const x = tensor(filled(samples * 150 * 150 * 3).map((v) => v * 100), [samples, 150, 150, 3]);
  const y = tensor(Float32Array.from({ length: samples }, (_, i) => i % 2), [samples, 1]);
  const timer = stepTimer();
  await model.fit(x, y, { epochs: 1, batchSize: batch, verbose: 0, shuffle: false, callbacks: [timer] });
  const tuneMs = median(timer.times.slice(1));

  const rate = (flop: number, ms: number): string => ((flop * batch) / ms / 1e6).toFixed(0);
  log(formatTable(['VGG16 base 150×150, batch ' + batch, 'ms', 'GFLOP/s'], [
    ['inference (median)', inferMs.toFixed(1), rate(VGG_FORWARD_FLOP, inferMs)],
    ['fine-tune step, block5 + head (median)', tuneMs.toFixed(1), rate(VGG_FINETUNE_FLOP, tuneMs)],
  ]));
}

/** FLOP per image of the SqueezeNet 1.1 base at 150×150 (counted by bench/peers/squeezenet.py). */
const SQUEEZENET_FORWARD_FLOP = 0.2112e9;

/** SqueezeNet 1.1 base (random weights) inference at 150×150, output 8×8×512. */
export async function runSqueezeNet(batch: number, steps: number, breakdown: boolean,
  log: (line: string) => void): Promise<void> {
  setSeed(1);
  const base = await applications.squeezenet({ weights: null, includeTop: false, inputShape: [150, 150, 3] });
  const runs = Math.max(5, steps);
  const ms = await medianInferenceMs(base, batch, runs);
  log(formatTable(['SqueezeNet 1.1 base 150×150, batch ' + batch, 'ms', 'GFLOP/s'], [
    ['inference (median)', ms.toFixed(1), ((SQUEEZENET_FORWARD_FLOP * batch) / ms / 1e6).toFixed(0)],
  ]));
  if (!breakdown) return;
  const probe = profileKernels(getBackend());
  await medianInferenceMs(base, batch, runs);
  probe.restore();
  logBreakdown(probe.totals, runs + 1, 'inference', log);
}
