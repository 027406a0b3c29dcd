import { getBackend } from '../backend/index.js';
import { Tensor } from '../tensor/tensor.js';
import type { BatchPlan } from './batch-order.js';
import type { ImageDataGenerator } from './image-data-generator.js';
import { type Batch, PrefetchingIterator } from './prefetch-iterator.js';

export interface FlowFromDataOptions {
  batchSize?: number;
  shuffle?: boolean;
  seed?: number;
  /** 'training' or 'validation', using the generator's validationSplit. */
  subset?: 'training' | 'validation' | null;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function rows(t: Tensor, from: number, to: number): Tensor {
  const stride = t.size / t.shape[0]!;
  const data = t.data.slice(from * stride, to * stride);
  return new Tensor(data, [to - from, ...t.shape.slice(1)], t.dtype);
}

function uniqueValues(t: Tensor): string {
  return [...new Set(t.data)].sort((a, b) => a - b).join(',');
}

/**
 * Keras's `NumpyArrayIterator`: augmented batches from images already in memory,
 * x [n, h, w, c] and optional labels y [n, ...].
 */
export class ArrayIterator extends PrefetchingIterator {
  readonly x: Tensor;
  readonly y: Tensor | null;
  private readonly imageShape: [number, number, number];

  constructor(x: Tensor, y: Tensor | null, readonly generator: ImageDataGenerator, options: FlowFromDataOptions = {}) {
    const where = 'flowImagesFromData';
    if (x.rank !== 4) throw new Error(`${where}: x should have rank 4 [n, height, width, channels], got shape [${x.shape.join(', ')}]`);
    if (y && y.shape[0] !== x.shape[0]) {
      throw new Error(`${where}: x and y should have the same length, got ${x.shape[0]} images and ${y.shape[0]} labels`);
    }
    if (![1, 3, 4].includes(x.shape[3]!)) console.warn(`${where}: expected images with 1, 3 or 4 channels, got ${x.shape[3]}`);
    let xs = x.dtype === 'float32' ? x : new Tensor(Float32Array.from(x.data), x.shape);
    let ys = y;
    const subset = options.subset ?? null;
    if (subset !== null) {
      if (subset !== 'training' && subset !== 'validation') {
        throw new Error(`${where}: invalid subset ${JSON.stringify(subset)}; expected 'training' or 'validation'`);
      }
      if (generator.validationSplit === 0) throw new Error(`${where}: subset '${subset}' needs imageDataGenerator({ validationSplit }) > 0`);
      const n = x.shape[0]!;
      const cut = Math.trunc(n * generator.validationSplit);
      if (y && uniqueValues(rows(y, 0, cut)) !== uniqueValues(rows(y, cut, n))) {
        throw new Error(`${where}: training and validation subsets have different classes after the split; if x and y are sorted by label, shuffle them first`);
      }
      const [from, to] = subset === 'validation' ? [0, cut] : [cut, n];
      xs = rows(xs, from, to);
      ys = y ? rows(y, from, to) : null;
    }
    super(xs.shape[0]!, options.batchSize ?? 32, options.shuffle ?? true, options.seed);
    this.x = xs;
    this.y = ys;
    this.imageShape = xs.shape.slice(1) as [number, number, number];
  }

  protected async build(plan: BatchPlan): Promise<Batch> {
    const [h, w, c] = this.imageShape;
    const params = plan.indices.map(() => this.generator.getRandomTransform(this.imageShape, plan.rng));
    // Augmentation is synchronous work: let the caller's pending callbacks run first.
    await yieldToEventLoop();
    const size = h * w * c;
    const src = this.x.f32;
    const out = getBackend().alloc(plan.indices.length * size, 'flowImagesFromData');  // as DirectoryIterator's
    this.generator.prepareBatchInto(plan.indices.map((index) => src.subarray(index * size, (index + 1) * size)),
      h, w, c, params, out);
    const x = new Tensor(out, [plan.indices.length, h, w, c]);
    if (!this.y) return [x, null];
    const stride = this.y.size / this.y.shape[0]!;
    const yData = this.y.dtype === 'int32' ? new Int32Array(plan.indices.length * stride) : new Float32Array(plan.indices.length * stride);
    plan.indices.forEach((index, j) => yData.set(this.y!.data.subarray(index * stride, (index + 1) * stride), j * stride));
    return [x, new Tensor(yData, [plan.indices.length, ...this.y.shape.slice(1)], this.y.dtype)];
  }
}

/**
 * Augmented batches from arrays in memory, like R's `flow_images_from_data()`.
 * @example
 * const it = flowImagesFromData(arrayReshape(imageToArray(img), [1, 150, 150, 3]), null,
 *   imageDataGenerator({ rescale: 1 / 255, rotationRange: 40 }), { batchSize: 1 });
 */
export function flowImagesFromData(x: Tensor, y: Tensor | null, generator: ImageDataGenerator,
  options: FlowFromDataOptions = {}): ArrayIterator {
  return new ArrayIterator(x, y, generator, options);
}
