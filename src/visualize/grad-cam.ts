import { noGrad } from '../autograd/tape.js';
import type { Model } from '../models/model.js';
import type { Tensor } from '../tensor/tensor.js';
import { weightedOutputGradients } from './input-gradients.js';
import { imageForModel } from './model-image.js';
import { featureMapLayers, layerNamed, outputShape, tapModel } from './taps.js';

export interface GradCamOptions {
  /**
   * The layer to explain: any with feature maps; default the last convolution (or channel
   * concatenation of convolutions, as SqueezeNet's fire modules end).
   */
  layer?: string;
  /** The class to explain; default the predicted one. A one-unit sigmoid output has classes 0 and 1. */
  classIndex?: number;
}

/** A Grad-CAM heatmap: values in [0, 1] over the layer's h × w grid, row by row. */
export interface Heatmap {
  data: Float32Array;
  height: number;
  width: number;
  layer: string;
  classIndex: number;
  /** The model's output for the image: the class probabilities (one value for a sigmoid). */
  prediction: Float32Array;
}

/**
 * The feature maps A of `layer` for `x` and the gradient of the class score with respect to
 * them. The score is the output unit of the class; for a one-unit sigmoid output, class 0's
 * score is 1 − p, so its gradient is the unit's negated.
 */
export function classScoreGradient(model: Model, x: Tensor, layer: string, classIndex: number | undefined):
  { maps: Tensor; grad: Tensor; prediction: Float32Array; classIndex: number } {
  const tapped = tapModel(model, [layer], true);
  const units = tapped.outputs[1]!.shape[tapped.outputs[1]!.rank - 1]!;
  const classes = units === 1 ? 2 : units;
  if (classIndex !== undefined && (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= classes)) {
    throw new Error(`gradCam: classIndex ${classIndex} is out of range: ${model.name} has ${classes} classes (0..${classes - 1})`);
  }
  const predicted = (p: Float32Array): number => (units === 1 ? (p[0]! > 0.5 ? 1 : 0) : p.indexOf(Math.max(...p)));
  const chosen = classIndex ?? predicted(noGrad(() => tapped.callOutputs([x], { training: false }))[1]!.f32);
  const weights = new Float32Array(units);
  if (units === 1) weights[0] = chosen === 1 ? 1 : -1;
  else weights[chosen] = 1;
  const run = weightedOutputGradients(tapped, x, 1, weights, [1]);
  return { maps: run.outputs[0]!, grad: run.grads[0]!, prediction: run.outputs[1]!.f32.slice(), classIndex: chosen };
}

/**
 * Grad-CAM (Selvaraju et al.; the book's class activation map): the feature maps of a
 * convolution, each weighted by the mean gradient of the class score over it, averaged over
 * channels, ReLU, divided by the maximum. It shows where in the photo the network found the
 * evidence for a class. `image` is preprocessed as the model expects; pair the result with
 * `overlayHeatmap` to see it on the photo.
 * @example const heat = await gradCam(model, image, { layer: 'conv2d_4' });
 */
export async function gradCam(model: Model, image: Tensor, options: GradCamOptions = {}): Promise<Heatmap> {
  const x = imageForModel(model, image, 'gradCam');
  const maps = featureMapLayers(model);
  const convolutions = maps.filter((name) => ['Conv2D', 'Concatenate'].includes(layerNamed(model, name).className));
  const layer = options.layer ?? convolutions[convolutions.length - 1];
  if (layer === undefined) throw new Error(`gradCam: ${model.name} has no convolutional layer to explain`);
  const rank = outputShape(model, layer).length;
  if (rank !== 4) {
    throw new Error(`gradCam: layer '${layer}' is not convolutional (its output has rank ${rank}); ` +
      `layers with feature maps are ${maps.join(', ')}`);
  }
  const { maps: a, grad, prediction, classIndex } = classScoreGradient(model, x, layer, options.classIndex);
  const [, h, w, c] = a.shape as [number, number, number, number];
  const weights = new Float32Array(c);
  for (let i = 0; i < h * w * c; i++) weights[i % c]! += grad.f32[i]! / (h * w);
  const data = new Float32Array(h * w);
  for (let p = 0; p < h * w; p++) {
    let s = 0;
    for (let k = 0; k < c; k++) s += a.f32[p * c + k]! * weights[k]!;
    data[p] = Math.max(s / c, 0);
  }
  const top = Math.max(...data);
  if (top > 0) for (let p = 0; p < data.length; p++) data[p]! /= top;
  return { data, height: h, width: w, layer, classIndex, prediction };
}
