import type { Model } from '../models/model.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Bilinear resize of float HWC pixels (pixel centres aligned, as image libraries do): for
 * fitting a photo to a model's input, and a heatmap to a photo.
 */
export function resizeBilinear(data: Float32Array, height: number, width: number, channels: number,
  toHeight: number, toWidth: number): Float32Array {
  const out = new Float32Array(toHeight * toWidth * channels);
  const source = (i: number, from: number, to: number): [number, number, number] => {
    const p = Math.min(Math.max((i + 0.5) * (from / to) - 0.5, 0), from - 1);
    const lo = Math.floor(p);
    return [lo, Math.min(lo + 1, from - 1), p - lo];
  };
  for (let y = 0; y < toHeight; y++) {
    const [y0, y1, fy] = source(y, height, toHeight);
    for (let x = 0; x < toWidth; x++) {
      const [x0, x1, fx] = source(x, width, toWidth);
      for (let c = 0; c < channels; c++) {
        const at = (yy: number, xx: number): number => data[(yy * width + xx) * channels + c]!;
        const top = at(y0, x0) * (1 - fx) + at(y0, x1) * fx;
        const bottom = at(y1, x0) * (1 - fx) + at(y1, x1) * fx;
        out[(y * toWidth + x) * channels + c] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return out;
}

/**
 * One image as a batch of one for `model`: [H, W, C] or [1, H, W, C], already preprocessed as
 * the model expects (rescaled, or caffe-preprocessed). Another height or width is resized to
 * the model's input, with a note on stderr; other channels are an error.
 */
export function imageForModel(model: Model, image: Tensor, where: string): Tensor {
  if (!(image instanceof Tensor) || !(image.rank === 3 || (image.rank === 4 && image.shape[0] === 1))) {
    throw new Error(`${where}: expected one image as a tensor [height, width, channels] or [1, height, width, channels], ` +
      `got ${image instanceof Tensor ? `shape [${image.shape.join(', ')}]` : String(image)}`);
  }
  const [h, w, c] = image.shape.slice(-3) as [number, number, number];
  const expected = model.inputShape ?? model.batchInputShape;
  if (!expected || expected.length !== 4) throw new Error(`${where}: ${model.name} does not take images (input shape ${JSON.stringify(expected)})`);
  const [eh, ew, ec] = expected.slice(1) as [number | null, number | null, number | null];
  if (ec !== null && ec !== c) throw new Error(`${where}: ${model.name} takes images with ${ec} channels, got ${c}`);
  if ((eh === null || eh === h) && (ew === null || ew === w)) return new Tensor(image.f32, [1, h, w, c]);
  const [th, tw] = [eh ?? h, ew ?? w];
  console.warn(`${where}: note: the image is ${h}×${w} and ${model.name} takes ${th}×${tw}; resized (bilinear)`);
  return new Tensor(resizeBilinear(image.f32, h, w, c, th, tw), [1, th, tw, c]);
}
