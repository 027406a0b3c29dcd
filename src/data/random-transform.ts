import type { Random } from '../tensor/random.js';
import type { TransformParams } from './affine.js';

/** A shift range: a fraction of the side (< 1) or pixels (>= 1), or a list to pick from. */
export type ShiftRange = number | readonly number[];

/** The augmentation settings that drive the random draws, already validated. */
export interface RandomTransformConfig {
  rotationRange: number;
  widthShiftRange: ShiftRange;
  heightShiftRange: ShiftRange;
  shearRange: number;
  zoomRange: readonly [number, number];
  horizontalFlip: boolean;
  verticalFlip: boolean;
  channelShiftRange: number;
  brightnessRange: readonly [number, number] | null;
}

const isOn = (range: ShiftRange): boolean => (typeof range === 'number' ? range !== 0 : range.length > 0);

/**
 * keras-preprocessing's shift draw. A number is R's double: continuous U(−r, r). A list is the
 * "1-D array" form: one element picked uniformly, times a random sign. Either way, when the
 * largest value is below 1 it is a fraction of `side` pixels.
 */
function drawShift(range: ShiftRange, side: number, rng: Random): number {
  let shift: number;
  let max: number;
  if (typeof range === 'number') {
    shift = rng.uniform(-range, range);
    max = range;
  } else {
    shift = range[rng.int(range.length)]! * (rng.int(2) === 0 ? -1 : 1);
    max = Math.max(...range);
  }
  return max < 1 ? shift * side : shift;
}

/**
 * Draws one image's parameters in keras-preprocessing's order: θ, tx (from heightShiftRange ×
 * H), ty (from widthShiftRange × W), shear, zx and zy (two independent draws), then the two
 * flip coin tosses — always drawn, even when flips are off — then channel shift and
 * brightness. Ranges that are off consume no draw, as in Keras.
 */
export function sampleTransform(cfg: RandomTransformConfig, height: number, width: number, rng: Random): TransformParams {
  const theta = cfg.rotationRange ? rng.uniform(-cfg.rotationRange, cfg.rotationRange) : 0;
  const tx = isOn(cfg.heightShiftRange) ? drawShift(cfg.heightShiftRange, height, rng) : 0;
  const ty = isOn(cfg.widthShiftRange) ? drawShift(cfg.widthShiftRange, width, rng) : 0;
  const shear = cfg.shearRange ? rng.uniform(-cfg.shearRange, cfg.shearRange) : 0;
  const [lo, hi] = cfg.zoomRange;
  let zx = 1;
  let zy = 1;
  if (lo !== 1 || hi !== 1) {
    zx = rng.uniform(lo, hi);
    zy = rng.uniform(lo, hi);
  }
  const flipHorizontal = rng.next() < 0.5 && cfg.horizontalFlip;
  const flipVertical = rng.next() < 0.5 && cfg.verticalFlip;
  const channelShiftIntensity = cfg.channelShiftRange ? rng.uniform(-cfg.channelShiftRange, cfg.channelShiftRange) : null;
  const brightness = cfg.brightnessRange ? rng.uniform(cfg.brightnessRange[0], cfg.brightnessRange[1]) : null;
  return { theta, tx, ty, shear, zx, zy, flipHorizontal, flipVertical, channelShiftIntensity, brightness };
}
