import { type Random, globalRng, rngFor } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { type Geometry, type TransformParams, inverseMap } from './affine.js';
import { type FillMode, checkFillMode } from './fill-mode.js';
import { brightnessShift, channelShift, flipColumns, flipRows } from './pixel-transforms.js';
import { type RandomTransformConfig, type ShiftRange, sampleTransform } from './random-transform.js';
import { type FeaturewiseStats, type StandardizeConfig, featurewiseStats, standardizeStats } from './standardize.js';
import { type Flips, affineWarp, affineWarpBatch, scaleInto } from './warp.js';

/** `imageDataGenerator()` options: Keras's ImageDataGenerator arguments in camelCase. */
export interface ImageDataGeneratorOptions {
  featurewiseCenter?: boolean;
  samplewiseCenter?: boolean;
  /** Divide by the per-channel std from `fit`; turns featurewiseCenter on. */
  featurewiseStdNormalization?: boolean;
  /** Divide each image by its own std; turns samplewiseCenter on. */
  samplewiseStdNormalization?: boolean;
  /** Degrees; θ ~ U(−r, r). */
  rotationRange?: number;
  /** Fraction of the width (< 1) or pixels (>= 1), continuous; or a list of values to pick from. */
  widthShiftRange?: ShiftRange;
  heightShiftRange?: ShiftRange;
  /** Brightness factor ~ U(lo, hi) (PIL ImageEnhance.Brightness). */
  brightnessRange?: readonly [number, number] | null;
  /** Shear angle in degrees (Keras >= 2.1.3), φ ~ U(−s, s). */
  shearRange?: number;
  /** z → [1 − z, 1 + z], or [lo, hi]; zx and zy are drawn independently. */
  zoomRange?: number | readonly [number, number];
  channelShiftRange?: number;
  fillMode?: FillMode;
  /** Fill value for fillMode 'constant', on the un-rescaled 0..255 scale. */
  cval?: number;
  horizontalFlip?: boolean;
  verticalFlip?: boolean;
  /** Multiplies pixels after augmentation (e.g. 1/255); 0 or null = off. */
  rescale?: number | null;
  /** Called on each image Tensor [h, w, c] before rescale; must return the same shape. */
  preprocessingFunction?: ((x: Tensor) => Tensor) | null;
  /** Fraction held out for `subset: 'validation'`, strictly between 0 and 1 (0 = off). */
  validationSplit?: number;
  /** 'legacy' (Keras 2.2, default, the lecture's) or 'fixed' (tf.keras >= 2.9) geometry. */
  geometry?: Geometry;
}

export interface GeneratorFitOptions {
  /** Also fit on `rounds` randomly augmented copies of x. */
  augment?: boolean;
  rounds?: number;
  seed?: number;
}

function finite(value: unknown, name: string, min = -Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new Error(`imageDataGenerator: ${name} must be a finite number${min > -Infinity ? ` >= ${min}` : ''}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function pair(value: unknown, name: string): [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new Error(`imageDataGenerator: ${name} should be a number or a list of two numbers, got ${JSON.stringify(value)}`);
  }
  return [value[0] as number, value[1] as number];
}

function shiftRange(value: unknown, name: string): ShiftRange {
  if (Array.isArray(value)) {
    if (value.length === 0) throw new Error(`imageDataGenerator: ${name} list must not be empty`);
    value.forEach((v, i) => finite(v, `${name}[${i}]`, 0));
    return [...value] as number[];
  }
  return finite(value, name, 0);
}

/**
 * Keras's ImageDataGenerator: per-image random augmentation (one bilinear resampling for
 * rotation, shift, shear and zoom; then channel shift, flips, brightness) and standardization
 * (preprocessingFunction → rescale → samplewise → featurewise), in Keras's order.
 */
export class ImageDataGenerator {
  readonly randomConfig: RandomTransformConfig;
  readonly standardizeConfig: StandardizeConfig;
  readonly fillMode: FillMode;
  readonly cval: number;
  readonly rescale: number;
  readonly preprocessingFunction: ((x: Tensor) => Tensor) | null;
  readonly validationSplit: number;
  readonly geometry: Geometry;
  /** Set by `fit`: per-channel mean and std. */
  readonly stats: FeaturewiseStats = { mean: null, std: null };
  private warned = new Set<string>();

  constructor(options: ImageDataGeneratorOptions = {}) {
    const o = options;
    const zoom = o.zoomRange ?? 0;
    const z = typeof zoom === 'number' ? finite(zoom, 'zoomRange', 0) : null;
    const brightness = o.brightnessRange == null ? null : pair(o.brightnessRange, 'brightnessRange');
    this.randomConfig = {
      rotationRange: finite(o.rotationRange ?? 0, 'rotationRange', 0),
      widthShiftRange: shiftRange(o.widthShiftRange ?? 0, 'widthShiftRange'),
      heightShiftRange: shiftRange(o.heightShiftRange ?? 0, 'heightShiftRange'),
      shearRange: finite(o.shearRange ?? 0, 'shearRange', 0),
      zoomRange: z !== null ? [1 - z, 1 + z] : pair(zoom, 'zoomRange'),
      horizontalFlip: Boolean(o.horizontalFlip),
      verticalFlip: Boolean(o.verticalFlip),
      channelShiftRange: finite(o.channelShiftRange ?? 0, 'channelShiftRange', 0),
      brightnessRange: brightness,
    };
    const featurewiseStd = Boolean(o.featurewiseStdNormalization);
    const samplewiseStd = Boolean(o.samplewiseStdNormalization);
    // Keras turns centring on when std normalization is asked for, with a warning.
    if (featurewiseStd && !o.featurewiseCenter) this.warnOnce('featurewiseStdNormalization overrides featurewiseCenter (set to true)');
    if (samplewiseStd && !o.samplewiseCenter) this.warnOnce('samplewiseStdNormalization overrides samplewiseCenter (set to true)');
    this.standardizeConfig = {
      featurewiseCenter: Boolean(o.featurewiseCenter) || featurewiseStd,
      featurewiseStdNormalization: featurewiseStd,
      samplewiseCenter: Boolean(o.samplewiseCenter) || samplewiseStd,
      samplewiseStdNormalization: samplewiseStd,
    };
    this.fillMode = checkFillMode(o.fillMode ?? 'nearest', 'imageDataGenerator');
    this.cval = finite(o.cval ?? 0, 'cval');
    this.rescale = o.rescale == null ? 0 : finite(o.rescale, 'rescale');
    if (o.preprocessingFunction != null && typeof o.preprocessingFunction !== 'function') {
      throw new Error(`imageDataGenerator: preprocessingFunction must be a function, got ${typeof o.preprocessingFunction}`);
    }
    this.preprocessingFunction = o.preprocessingFunction ?? null;
    const split = finite(o.validationSplit ?? 0, 'validationSplit');
    if (split !== 0 && !(split > 0 && split < 1)) {
      throw new Error(`imageDataGenerator: validationSplit must be strictly between 0 and 1, got ${split}`);
    }
    this.validationSplit = split;
    if (o.geometry !== undefined && o.geometry !== 'legacy' && o.geometry !== 'fixed') {
      throw new Error(`imageDataGenerator: geometry must be 'legacy' or 'fixed', got ${JSON.stringify(o.geometry)}`);
    }
    this.geometry = o.geometry ?? 'legacy';
  }

  /** Draws one image's random parameters (Keras `get_random_transform`). */
  getRandomTransform(shape: readonly number[], rng: Random = globalRng()): TransformParams {
    const [h, w] = checkImageShape(shape, 'getRandomTransform');
    return sampleTransform(this.randomConfig, h, w, rng);
  }

  /** Applies given parameters to one image Tensor [h, w, c] (Keras `apply_transform`). */
  applyTransform(x: Tensor, params: TransformParams): Tensor {
    const [h, w, c] = checkImageShape(x.shape, 'applyTransform');
    const out = new Float32Array(x.size);
    this.transformInto(x.f32, h, w, c, params, out);
    return new Tensor(out, x.shape);
  }

  /** A randomly augmented copy of one image Tensor [h, w, c] (Keras `random_transform`). */
  randomTransform(x: Tensor, options: { seed?: number } = {}): Tensor {
    const rng = options.seed === undefined ? globalRng() : rngFor(options.seed);
    return this.applyTransform(x, this.getRandomTransform(x.shape, rng));
  }

  /** A standardized copy of one image Tensor [h, w, c] (Keras `standardize`). */
  standardize(x: Tensor): Tensor {
    const [h, w, c] = checkImageShape(x.shape, 'standardize');
    const out = Float32Array.from(x.f32);
    this.standardizeInPlace(out, h, w, c);
    return new Tensor(out, x.shape);
  }

  /**
   * Computes the featurewise mean/std from sample images x [n, h, w, c] (Keras `fit`):
   * rescale is applied to a copy first; with `augment`, `rounds` augmented copies are used.
   */
  fit(x: Tensor, options: GeneratorFitOptions = {}): void {
    if (x.rank !== 4) throw new Error(`fit: x should have rank 4 [n, height, width, channels], got shape [${x.shape.join(', ')}]`);
    const [n, h, w, c] = x.shape as [number, number, number, number];
    if (![1, 3, 4].includes(c)) this.warnOnce(`fit: expected 1, 3 or 4 channels, got ${c}`);
    let data = Float32Array.from(x.f32);
    if (this.rescale) for (let i = 0; i < data.length; i++) data[i] = data[i]! * Math.fround(this.rescale);
    if (options.augment) {
      const rounds = finite(options.rounds ?? 1, 'fit rounds', 1);
      const rng = rngFor(options.seed);
      const size = h * w * c;
      const augmented = new Float32Array(rounds * data.length);
      for (let r = 0; r < rounds; r++) {
        for (let i = 0; i < n; i++) {
          const params = sampleTransform(this.randomConfig, h, w, rng);
          this.transformInto(data.subarray(i * size, (i + 1) * size), h, w, c, params, augmented.subarray((r * n + i) * size, (r * n + i + 1) * size));
        }
      }
      data = augmented;
    }
    const s = featurewiseStats(data, c, this.standardizeConfig.featurewiseCenter, this.standardizeConfig.featurewiseStdNormalization);
    this.stats.mean = s.mean;
    this.stats.std = s.std;
  }

  /**
   * The hot path behind the iterators: applies `params` to `src` (H×W×C; 8-bit pixels are read
   * as they are, saving a conversion pass) and writes float32 into `out` (not aliasing src),
   * resampling only when the geometry is not the identity.
   */
  transformInto(src: Float32Array | Uint8Array, h: number, w: number, c: number, params: TransformParams, out: Float32Array): void {
    // The channel shift treats every pixel alike, so the flips may come before it, in the warp.
    if (!this.warpInto(src, h, w, c, params, out, 1)) {
      out.set(src);
      this.flip(out, h, w, c, params);
    }
    if (params.channelShiftIntensity !== null) channelShift(out, params.channelShiftIntensity);
    if (params.brightness !== null) brightnessShift(out, c, params.brightness, this.geometry);
  }

  /**
   * One image of a batch: what `transformInto` and then `standardizeInPlace` give, in as few
   * passes over the pixels as the options allow. The rescale is folded into the warp (or into
   * the 8-bit conversion when the geometry is the identity) unless something additive comes
   * before it (a channel shift, a brightness change, a preprocessingFunction); flips commute
   * with it, and the statistics come after it anyway.
   */
  prepareInto(src: Float32Array | Uint8Array, h: number, w: number, c: number, params: TransformParams, out: Float32Array): void {
    if (this.preprocessingFunction || params.channelShiftIntensity !== null || params.brightness !== null) {
      this.transformInto(src, h, w, c, params, out);
      this.standardizeInPlace(out, h, w, c);
      return;
    }
    const scale = this.foldedScale;
    if (!this.warpInto(src, h, w, c, params, out, scale)) {
      scaleInto(src, out, scale);
      this.flip(out, h, w, c, params);
    }
    this.applyStats(out, c);
  }

  /**
   * prepareInto for each image of a batch, into consecutive slots of `out`. On the native
   * backend, 8-bit images whose preparation is one resampling pass (no channel shift,
   * brightness or preprocessingFunction) are warped in one call, each core taking whole images,
   * unless none of them moves (a validation batch: converting the bytes is faster).
   */
  prepareBatchInto(sources: readonly (Float32Array | Uint8Array)[], h: number, w: number, c: number,
    params: readonly TransformParams[], out: Float32Array): void {
    const size = h * w * c;
    const slot = (j: number): Float32Array => out.subarray(j * size, (j + 1) * size);
    const onePass = !this.preprocessingFunction && params.every((p) => p.channelShiftIntensity === null && p.brightness === null);
    const bytes = sources.every((s): s is Uint8Array => s instanceof Uint8Array);
    // Only a batch that may take the one call needs its maps here; prepareInto finds its own.
    const maps = onePass && bytes ? params.map((p) => inverseMap(p, h, w, this.geometry)) : null;
    const batched = bytes && maps?.some((m) => m !== null) && affineWarpBatch(sources, h, w, c, maps,
      params.map(flipsOf), this.fillMode, this.cval, out, this.foldedScale);
    if (batched) for (let j = 0; j < sources.length; j++) this.applyStats(slot(j), c);
    else sources.forEach((src, j) => this.prepareInto(src, h, w, c, params[j]!, slot(j)));
  }

  /** The rescale as the warp and the 8-bit conversion fold it in: a float32, 1 for none. */
  private get foldedScale(): number {
    return this.rescale ? Math.fround(this.rescale) : 1;
  }

  /** The geometric transform and the flips in one resampling pass; false (nothing written) for the identity. */
  private warpInto(src: Float32Array | Uint8Array, h: number, w: number, c: number, params: TransformParams,
    out: Float32Array, scale: number): boolean {
    const map = inverseMap(params, h, w, this.geometry);
    if (map) {
      affineWarp(src, h, w, c, map, this.fillMode, this.cval, out, scale, flipsOf(params));
    }
    return map !== null;
  }

  private flip(x: Float32Array, h: number, w: number, c: number, params: TransformParams): void {
    if (params.flipHorizontal) flipColumns(x, h, w, c);
    if (params.flipVertical) flipRows(x, h, w, c);
  }

  /** Standardizes one H×W×C image in place: preprocessingFunction, rescale, statistics. */
  standardizeInPlace(x: Float32Array, h: number, w: number, c: number): void {
    if (this.preprocessingFunction) {
      const y = this.preprocessingFunction(new Tensor(x, [h, w, c]));
      if (!(y instanceof Tensor) || y.size !== x.length) {
        throw new Error(`preprocessingFunction must return a Tensor of shape [${h}, ${w}, ${c}], got ${y instanceof Tensor ? `[${y.shape.join(', ')}]` : typeof y}`);
      }
      if (y.data !== x) x.set(y.data);
    }
    // Float32Array stores round each product to float32, as numpy's in-place `x *= rescale` does.
    if (this.rescale) {
      const r = Math.fround(this.rescale);
      for (let i = 0; i < x.length; i++) x[i] = x[i]! * r;
    }
    this.applyStats(x, c);
  }

  /** Centring and normalisation, featurewise and samplewise, as configured. */
  private applyStats(x: Float32Array, c: number): void {
    standardizeStats(x, c, this.standardizeConfig, this.stats, (step) =>
      this.warnOnce(`${step} is set but the generator has not been fit on any data; call generator.fit(x) first (step skipped)`));
  }

  /** Python shows a given warning once per call site; we show each once per generator. */
  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    console.warn(`imageDataGenerator: ${message}`);
  }
}

const flipsOf = (p: TransformParams): Flips => ({ horizontal: p.flipHorizontal, vertical: p.flipVertical });

function checkImageShape(shape: readonly number[], where: string): [number, number, number] {
  if (shape.length !== 3) throw new Error(`${where}: expected one image of shape [height, width, channels], got [${shape.join(', ')}]`);
  return shape as [number, number, number];
}

/**
 * Creates an ImageDataGenerator, like R's `image_data_generator()`.
 * @example
 * const gen = imageDataGenerator({ rescale: 1 / 255, rotationRange: 40, widthShiftRange: 0.2,
 *   heightShiftRange: 0.2, shearRange: 0.2, zoomRange: 0.2, horizontalFlip: true });
 */
export function imageDataGenerator(options: ImageDataGeneratorOptions = {}): ImageDataGenerator {
  return new ImageDataGenerator(options);
}
