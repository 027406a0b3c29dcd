import { type Random, rngFor } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';

export interface BarsOptions {
  samples: number;
  size?: number;
  channels?: number;
  /** Standard deviation of the pixel noise; default 0.1. */
  noise?: number;
  seed?: number;
}

/**
 * A learnable two-class image set made in memory: class 0 images hold a bright horizontal bar,
 * class 1 a vertical one, at random positions, over noise. A small convnet separates them within
 * a few epochs, which makes it a test that can fail and a demo that needs no files.
 * Returns x [samples, size, size, channels] in [0, 1] and y [samples, 1] in {0, 1}.
 */
export function barsDataset(options: BarsOptions): { x: Tensor; y: Tensor } {
  const { samples, size = 16, channels = 1, noise = 0.1 } = options;
  const rng: Random = rngFor(options.seed);
  const pixels = size * size * channels;
  const x = new Float32Array(samples * pixels);
  const y = new Float32Array(samples);
  for (let s = 0; s < samples; s++) {
    const label = s % 2;
    y[s] = label;
    const at = 1 + rng.int(size - 2);
    const from = rng.int(size / 2);
    const length = size / 2 + rng.int(size / 2 - from);
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        const [along, across] = label === 0 ? [j, i] : [i, j];
        const onBar = across === at && along >= from && along < from + length;
        for (let c = 0; c < channels; c++) {
          const v = (onBar ? 0.9 : 0.1) + noise * rng.normal();
          x[s * pixels + (i * size + j) * channels + c] = Math.min(1, Math.max(0, v));
        }
      }
    }
  }
  return { x: new Tensor(x, [samples, size, size, channels]), y: new Tensor(y, [samples, 1]) };
}
