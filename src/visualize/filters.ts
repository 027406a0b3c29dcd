import type { Model } from '../models/model.js';
import { type GridImage, imageGrid } from '../plot/image-grid.js';
import { rngFor } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { weightedOutputGradients } from './input-gradients.js';
import { outputShape, tapModel } from './taps.js';

export interface VisualizeFilterOptions {
  /** Height and width of the image; default the model's input size, else 150 (the book's). */
  size?: number;
  /** Gradient-ascent steps; default 40. */
  steps?: number;
  /** Step size on the L2-normalised gradient; default 1. */
  stepSize?: number;
  /** Seed of the starting noise; default: the global generator. */
  seed?: number;
  /**
   * Scale of the model's input relative to 0..255 pixels: 1 (default) for models taking pixel
   * values (caffe preprocessing, as the book's VGG16), 1/255 for models taking rescaled images.
   * The starting image and the step are multiplied by it.
   */
  inputScale?: number;
}

/** What filter ascent produced: the deprocessed 8-bit RGB image, and the filter's mean activation before and after. */
export interface FilterPattern extends GridImage {
  data: Uint8Array;
  startActivation: number;
  finalActivation: number;
}

function filterWeights(shape: readonly number[], filter: number): Float32Array {
  const channels = shape[3]!;
  const w = new Float32Array(shape.reduce((a, b) => a * b, 1));
  const count = w.length / channels;
  for (let i = filter; i < w.length; i += channels) w[i] = 1 / count;
  return w;
}

/**
 * The mean activation of one filter of `layerName` for input `x` [1, h, w, c], and its gradient
 * with respect to `x`: the loss and gradient of the book's filter ascent.
 */
export function filterGradient(model: Model, layerName: string, filter: number, x: Tensor): { value: number; grad: Tensor } {
  const tapped = tapModel(model, [layerName]);
  const shape = [1, ...tapped.outputs[0]!.shape.slice(1)] as number[];
  const { outputs, grads } = weightedOutputGradients(tapped, x, 0, filterWeights(shape, filter), [0]);
  const act = outputs[0]!.f32;
  let value = 0;
  for (let i = filter; i < act.length; i += shape[3]!) value += act[i]!;
  return { value: value / (act.length / shape[3]!), grad: grads[0]! };
}

function checkFilter(model: Model, layerName: string, filter: number, where: string): void {
  const shape = outputShape(model, layerName);
  if (shape.length !== 4) throw new Error(`${where}: layer '${layerName}' has no feature maps (output rank ${shape.length}); pick a convolution or pooling layer`);
  const channels = shape[3]!;
  if (!Number.isInteger(filter) || filter < 0 || filter >= channels) {
    throw new Error(`${where}: filter index ${filter} is out of range: layer '${layerName}' has ${channels} filters (0..${channels - 1})`);
  }
}

/**
 * The input pattern a filter responds to most, by gradient ascent in input space as the book
 * does: from a gray image with noise (uniform(0, 1) × 20 + 128), `steps` steps of
 * `input += stepSize × grad / (sqrt(mean(grad²)) + 1e-5)` on the filter's mean activation, then
 * deprocessed to 8-bit RGB (centred, std 0.1 around 0.5, clipped). Use it to see what patterns
 * the filters of a layer have learnt to detect.
 * @example const pattern = await visualizeFilter(convBase, 'block3_conv1', 0);
 */
export async function visualizeFilter(model: Model, layerName: string, filterIndex: number,
  options: VisualizeFilterOptions = {}): Promise<FilterPattern> {
  checkFilter(model, layerName, filterIndex, 'visualizeFilter');
  const declared = (model.inputShape ?? model.batchInputShape)!;
  const channels = declared[3] ?? 3;
  const height = options.size ?? declared[1] ?? 150;
  const width = options.size ?? declared[2] ?? 150;
  if ((declared[1] !== null && declared[1] !== height) || (declared[2] !== null && declared[2] !== width)) {
    throw new Error(`visualizeFilter: size ${options.size} does not fit ${model.name}, which takes ${declared[1]}×${declared[2]} images`);
  }
  const steps = options.steps ?? 40;
  const scale = options.inputScale ?? 1;
  const stepSize = (options.stepSize ?? 1) * scale;
  const rng = rngFor(options.seed);
  const pixels = new Float32Array(height * width * channels).map(() => (rng.uniform(0, 1) * 20 + 128) * scale);
  const x = new Tensor(pixels, [1, height, width, channels]);
  let startActivation = 0;
  for (let step = 0; step < steps; step++) {
    const { value, grad } = filterGradient(model, layerName, filterIndex, x);
    if (step === 0) startActivation = value;
    const g = grad.f32;
    const norm = Math.sqrt(g.reduce((s, v) => s + v * v, 0) / g.length) + 1e-5;
    for (let i = 0; i < pixels.length; i++) pixels[i]! += (g[i]! / norm) * stepSize;
  }
  const finalActivation = filterGradient(model, layerName, filterIndex, x).value;
  return { ...displayed(deprocess(pixels), width, height, channels), startActivation, finalActivation };
}

/** RGB and grayscale patterns as they are; other channel counts as the gray mean of their channels. */
function displayed(data: Uint8Array, width: number, height: number, channels: number): GridImage & { data: Uint8Array } {
  if (channels === 1 || channels === 3) return { data, width, height, channels };
  const gray = new Uint8Array(width * height);
  for (let p = 0; p < gray.length; p++) {
    let s = 0;
    for (let k = 0; k < channels; k++) s += data[p * channels + k]!;
    gray[p] = Math.round(s / channels);
  }
  return { data: gray, width, height, channels: 1 };
}

/** The book's deprocess_image: centre, std 0.1 around 0.5, clip to [0, 1], to 8 bits. */
export function deprocess(pixels: Float32Array): Uint8Array {
  const mean = pixels.reduce((s, v) => s + v, 0) / pixels.length;
  const std = Math.sqrt(pixels.reduce((s, v) => s + (v - mean) ** 2, 0) / pixels.length);
  return Uint8Array.from(pixels, (v) => Math.round(Math.min(1, Math.max(0, ((v - mean) / (std + 1e-5)) * 0.1 + 0.5)) * 255));
}

export interface PlotFiltersOptions extends VisualizeFilterOptions {
  /** How many filters, from the first; default 16 (the book shows 64). */
  count?: number;
  /** Patterns per row; default ceil(√count). */
  columns?: number;
}

/**
 * A grid of the patterns of a layer's first `count` filters (see visualizeFilter), as a PNG.
 * @returns the path written.
 * @example await plotFilters(convBase, 'block1_conv1', 'filters.png', { count: 64, size: 64 });
 */
export async function plotFilters(model: Model, layerName: string, file: string, options: PlotFiltersOptions = {}): Promise<string> {
  const shape = outputShape(model, layerName);
  const count = Math.min(options.count ?? 16, shape.length === 4 ? shape[3]! : 1);
  const patterns: GridImage[] = [];
  for (let k = 0; k < count; k++) patterns.push(await visualizeFilter(model, layerName, k, options));
  return imageGrid(patterns, { file, columns: options.columns });
}
