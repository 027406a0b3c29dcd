/**
 * Input-pipeline throughput over cats_and_dogs_small/train (2000 JPEGs, ~500×375), in images/s:
 *   decode+resize cold (first pass: every JPEG decoded) and cached (later passes), without
 *   augmentation; the lecture's augmentation on cached images; and the augmentation step alone.
 * Peers in the same run: sharp decoding and resizing by itself (libvips nearest, full decode,
 * so the ratio is the cost of Pillow-exact resizing in TypeScript), and a plain Float32Array
 * loop as a yardstick for this machine's speed.
 * Run: npx tsx bench/data.ts [dataDir]   (UV_THREADPOOL_SIZE sets sharp's decode threads)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DirectoryIterator, flowImagesFromDirectory } from '../src/data/directory-iterator.js';
import { type ImageDataGenerator, imageDataGenerator } from '../src/data/image-data-generator.js';
import { readdirSync } from 'node:fs';
import sharp from 'sharp';
import { Random } from '../src/tensor/random.js';

const dataDir = process.argv[2] ?? fileURLToPath(new URL('../../shared/data/cats_and_dogs_small/train', import.meta.url));
if (!existsSync(dataDir)) {
  console.error(`bench/data: ${dataDir} not found; pass the train folder as the first argument`);
  process.exit(1);
}

const LECTURE = { rescale: 1 / 255, rotationRange: 40, widthShiftRange: 0.2, heightShiftRange: 0.2, shearRange: 0.2,
  zoomRange: 0.2, horizontalFlip: true } as const;
const SIZE: [number, number] = [150, 150];
const BATCH = 32;

/** Pulls one full pass of batches and returns images per second. */
async function pass(it: DirectoryIterator): Promise<number> {
  const start = performance.now();
  let images = 0;
  for (let k = 0; k < it.length; k++) images += (await it.next())[0].shape[0]!;
  return images / ((performance.now() - start) / 1000);
}

function augmentOnly(gen: ImageDataGenerator, count: number): number {
  const [h, w] = SIZE;
  const src = Float32Array.from({ length: h * w * 3 }, (_, i) => (i * 37) % 256);
  const out = new Float32Array(src.length);
  const rng = new Random(1);
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    gen.transformInto(src, h, w, 3, gen.getRandomTransform([h, w, 3], rng), out);
    gen.standardizeInPlace(out, h, w, 3);
  }
  return count / ((performance.now() - start) / 1000);
}

/** sharp alone: decode + nearest resize in libvips, batches of 32 in flight like the iterator. */
async function sharpPeer(): Promise<number> {
  const files = readdirSync(dataDir).flatMap((cls) => readdirSync(join(dataDir, cls)).map((f) => join(dataDir, cls, f)));
  const start = performance.now();
  for (let i = 0; i < files.length; i += BATCH) {
    await Promise.all(files.slice(i, i + BATCH).map((f) => sharp(f).resize(SIZE[1], SIZE[0], { fit: 'fill', kernel: 'nearest', fastShrinkOnLoad: false })
      .raw().toBuffer()));
  }
  return files.length / ((performance.now() - start) / 1000);
}

/** Nanoseconds per element of `a[i] = a[i] * 0.5 + 1` over a 150×150×3 Float32Array. */
function yardstick(): number {
  const a = new Float32Array(150 * 150 * 3).fill(1);
  const start = performance.now();
  for (let j = 0; j < 300; j++) for (let i = 0; i < a.length; i++) a[i] = a[i]! * 0.5 + 1;
  return ((performance.now() - start) * 1e6) / (300 * a.length);
}

const log = console.log;
console.log = () => undefined; // silence "Found N images"
const plain = flowImagesFromDirectory(dataDir, imageDataGenerator({ rescale: 1 / 255 }), { targetSize: SIZE, batchSize: BATCH, seed: 1 });
const cold = await pass(plain);
const cached = await pass(plain);
const augmented = flowImagesFromDirectory(dataDir, imageDataGenerator(LECTURE), { targetSize: SIZE, batchSize: BATCH, seed: 1 });
const augCold = await pass(augmented);
const augCached = await pass(augmented);
const alone = augmentOnly(imageDataGenerator(LECTURE), 2000);
const peer = await sharpPeer();
console.log = log;

const rows: [string, number][] = [
  ['decode+resize, cold (first pass)', cold],
  ['decode+resize, cached (second pass)', cached],
  ['decode+resize+augment, cold', augCold],
  ['augment, cached (second pass)', augCached],
  ['augment step alone (warp + rescale)', alone],
  ['peer: sharp decode+resize by itself', peer],
];
log(`data pipeline, ${join(dataDir)}: ${plain.samples} images → ${SIZE.join('×')}×3, batch ${BATCH}, ` +
  `UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? 4}`);
for (const [name, rate] of rows) log(`  ${name.padEnd(40)} ${rate.toFixed(0).padStart(7)} images/s`);
log(`  cold decode+resize / sharp alone: ${(cold / peer).toFixed(2)}`);
log(`  cache: ${plain.cacheStats.images} images, ${(plain.cacheStats.bytes / 2 ** 20).toFixed(1)} MiB`);
log(`  yardstick: ${yardstick().toFixed(2)} ns per Float32Array element (multiply-add loop)`);
