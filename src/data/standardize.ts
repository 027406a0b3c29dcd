/**
 * Keras's `standardize` statistics, on H×W×C float images in place. `preprocessingFunction`
 * and `rescale` run before these steps (see ImageDataGenerator.standardize).
 */

export interface StandardizeConfig {
  samplewiseCenter: boolean;
  samplewiseStdNormalization: boolean;
  featurewiseCenter: boolean;
  featurewiseStdNormalization: boolean;
}

/** Per-channel statistics from `generator.fit(x)`, broadcast over rows and columns. */
export interface FeaturewiseStats {
  mean: Float32Array | null;
  std: Float32Array | null;
}

const EPSILON = 1e-6;

function meanOf(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

function stdOf(x: Float32Array, mean: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - mean) ** 2;
  return Math.sqrt(s / x.length);
}

/**
 * Samplewise centre (mean over the whole image, all channels), samplewise std (+1e−6),
 * featurewise centre and std (per channel, +1e−6). `onUnfitted` is called when a featurewise
 * step is asked for before `fit`, and the step is skipped, as Keras does.
 */
export function standardizeStats(x: Float32Array, channels: number, cfg: StandardizeConfig, stats: FeaturewiseStats,
  onUnfitted: (step: string) => void): void {
  if (cfg.samplewiseCenter) {
    const m = meanOf(x);
    for (let i = 0; i < x.length; i++) x[i] = x[i]! - m;
  }
  if (cfg.samplewiseStdNormalization) {
    const d = stdOf(x, meanOf(x)) + EPSILON;
    for (let i = 0; i < x.length; i++) x[i] = x[i]! / d;
  }
  if (cfg.featurewiseCenter) {
    if (stats.mean) {
      for (let i = 0; i < x.length; i++) x[i] = x[i]! - stats.mean[i % channels]!;
    } else {
      onUnfitted('featurewiseCenter');
    }
  }
  if (cfg.featurewiseStdNormalization) {
    if (stats.std) {
      for (let i = 0; i < x.length; i++) x[i] = x[i]! / (stats.std[i % channels]! + EPSILON);
    } else {
      onUnfitted('featurewiseStdNormalization');
    }
  }
}

/**
 * Keras `fit`'s statistics over a batch of n images (already rescaled/augmented): the
 * per-channel mean over (batch, rows, cols), then — on the centred data — the per-channel std.
 * `x` is centred in place when the mean is computed.
 */
export function featurewiseStats(x: Float32Array, channels: number, center: boolean, std: boolean): FeaturewiseStats {
  const count = x.length / channels;
  let mean: Float32Array | null = null;
  let sd: Float32Array | null = null;
  if (center) {
    const sums = new Float64Array(channels);
    for (let i = 0; i < x.length; i++) sums[i % channels] += x[i]!;
    mean = Float32Array.from(sums, (s) => s / count);
    for (let i = 0; i < x.length; i++) x[i] = x[i]! - mean[i % channels]!;
  }
  if (std) {
    const sums = new Float64Array(channels);
    const sq = new Float64Array(channels);
    for (let i = 0; i < x.length; i++) {
      sums[i % channels] += x[i]!;
      sq[i % channels] += x[i]! * x[i]!;
    }
    sd = Float32Array.from(sums, (s, k) => Math.sqrt(Math.max(sq[k]! / count - (s / count) ** 2, 0)));
  }
  return { mean, std: sd };
}
