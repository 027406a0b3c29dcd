import type { Model } from '../models/model.js';
import { type GridImage, gridPng, stackPngs } from '../plot/image-grid.js';
import type { Tensor } from '../tensor/tensor.js';
import { imageForModel } from './model-image.js';
import { featureMapLayers, tapModel } from './taps.js';

export interface ActivationsOptions {
  /** Layers to read, by name (nested models' layers too); default every layer with feature maps (rank 4). */
  layers?: readonly string[];
}

/**
 * The intermediate activations of one image: layer name → its output [1, h, w, channels], in
 * layer order. Use it to see what each convolution and pooling layer keeps of a photo (the
 * book's first view inside a convnet). `image` is preprocessed as the model expects.
 * @example const acts = await activations(model, image, { layers: ['conv2d_1', 'max_pooling2d_1'] });
 */
export async function activations(model: Model, image: Tensor, options: ActivationsOptions = {}): Promise<Map<string, Tensor>> {
  const x = imageForModel(model, image, 'activations');
  const names = options.layers ?? featureMapLayers(model);
  if (names.length === 0) throw new Error(`activations: ${model.name} has no layer with feature maps; name layers with { layers }`);
  const outputs = await tapModel(model, names).predict(x);
  return new Map(names.map((name, i) => [name, outputs[i]!]));
}

/**
 * A channel as the book draws it: minus its mean, over its standard deviation, × 64 + 128,
 * clipped to 0..255. A constant (dead) channel stays blank.
 */
export function channelImage(act: Tensor, channel: number): GridImage & { data: Uint8Array } {
  const [, h, w, c] = act.shape as [number, number, number, number];
  const values = new Float32Array(h * w);
  for (let i = 0; i < h * w; i++) values[i] = act.f32[i * c + channel]!;
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
  const data = new Uint8Array(h * w);
  for (let i = 0; i < data.length; i++) {
    data[i] = std === 0 ? 255 : Math.min(255, Math.max(0, Math.round(((values[i]! - mean) / std) * 64 + 128)));
  }
  return { data, width: w, height: h, channels: 1 };
}

export interface PlotActivationsOptions {
  /** Channels per row; default 16, as the book. */
  columns?: number;
  /** Draw at most this many channels per layer; default all. */
  maxChannels?: number;
  /** Feature maps smaller than this many pixels high are enlarged by a whole factor (nearest); default 48. */
  minTileSize?: number;
}

/** The tile enlarged `factor` times in each direction, each value repeated (nearest). */
function enlarge(tile: GridImage & { data: Uint8Array }, factor: number): GridImage {
  if (factor === 1) return tile;
  const [w, h] = [tile.width * factor, tile.height * factor];
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = tile.data[Math.floor(y / factor) * tile.width + Math.floor(x / factor)]!;
  return { data, width: w, height: h, channels: 1 };
}

/**
 * Draws activations (from `activations`) as one grid of channels per layer, titled with the
 * layer's name and shape, one under the other, into a PNG.
 * @returns the path written.
 * @example await plotActivations(await activations(model, image), 'activations.png');
 */
export async function plotActivations(acts: ReadonlyMap<string, Tensor>, file: string, options: PlotActivationsOptions = {}): Promise<string> {
  if (acts.size === 0) throw new Error('plotActivations: no activations given');
  const parts: Buffer[] = [];
  for (const [name, act] of acts) {
    if (act.rank !== 4) throw new Error(`plotActivations: layer ${name} has output shape [${act.shape.join(', ')}]; only feature maps [1, h, w, c] can be drawn`);
    const channels = Math.min(act.shape[3]!, options.maxChannels ?? Infinity);
    const factor = Math.max(1, Math.ceil((options.minTileSize ?? 48) / act.shape[1]!));
    const tiles = Array.from({ length: channels }, (_, k) => enlarge(channelImage(act, k), factor));
    parts.push(await gridPng(tiles, { columns: options.columns ?? 16, padding: 2, title: `${name} [${act.shape.slice(1).join('×')}]` }));
  }
  return stackPngs(parts, file);
}
