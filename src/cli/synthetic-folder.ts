import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { Random } from '../tensor/random.js';

/** Images per split and class: the lecture's folder layout at a tenth of its size. */
const SPLITS = { train: 100, validation: 50, test: 50 } as const;
const CLASSES = ['cats', 'dogs'] as const;
const SIZE = 150;
const VERSION = 'shapes-v2';

/** deeptype's own folder for generated data: $DEEPTYPE_HOME, else ~/.deeptype. */
export function deeptypeHome(): string {
  return process.env.DEEPTYPE_HOME ?? join(homedir(), '.deeptype');
}

/**
 * One deterministic picture: a noisy, randomly tinted background with one large shape of the
 * class's kind — a disc for 'cats', a square for 'dogs' — near the centre, of random size and
 * colour, as a photo frames its subject. Telling them apart needs the local shape of edges
 * (round or cornered), which is what a convnet learns; with only 200 training images, a
 * subject roaming the whole frame would leave the lecture convnet's dense layers too little
 * data to generalise in a few minutes.
 */
function drawImage(rng: Random, label: number): Buffer {
  const pixels = Buffer.alloc(SIZE * SIZE * 3);
  const base = [rng.uniform(40, 140), rng.uniform(40, 140), rng.uniform(40, 140)];
  for (let i = 0; i < SIZE * SIZE; i++) for (let c = 0; c < 3; c++) pixels[i * 3 + c] = base[c]! + rng.uniform(-25, 25);
  const r = 28 + rng.int(22);
  const cx = SIZE / 2 - 20 + rng.int(41);
  const cy = SIZE / 2 - 20 + rng.int(41);
  const colour = [rng.uniform(150, 255), rng.uniform(150, 255), rng.uniform(150, 255)];
  for (let y = cy - r; y < cy + r; y++) {
    for (let x = cx - r; x < cx + r; x++) {
      const inside = label === 0 ? (x - cx) ** 2 + (y - cy) ** 2 <= r * r : true;
      if (inside) for (let c = 0; c < 3; c++) pixels[(y * SIZE + x) * 3 + c] = colour[c]!;
    }
  }
  return pixels;
}

/**
 * The main job's embedded data: a two-class JPEG set in the cats_and_dogs_small layout
 * (train/validation/test × cats/dogs), generated once under $DEEPTYPE_HOME (default ~/.deeptype)
 * and reused. Built in a temporary folder and renamed, so an interrupted run leaves nothing half-made.
 */
export async function syntheticImageFolder(log: (line: string) => void = console.log): Promise<string> {
  const target = join(deeptypeHome(), 'datasets', VERSION);
  if (existsSync(target)) return target;
  const temp = `${target}.${process.pid}.partial`;
  const total = Object.values(SPLITS).reduce((a, b) => a + b, 0) * CLASSES.length;
  log(`Generating ${total} synthetic JPEG images (discs = cats, squares = dogs) into ${target} ...`);
  await rm(temp, { recursive: true, force: true });
  const rng = new Random(2026);
  let index = 0;
  for (const [split, count] of Object.entries(SPLITS)) {
    for (const [label, name] of CLASSES.entries()) {
      const dir = join(temp, split, name);
      await mkdir(dir, { recursive: true });
      for (let i = 0; i < count; i++) {
        const raw = drawImage(rng, label);
        await sharp(raw, { raw: { width: SIZE, height: SIZE, channels: 3 } }).jpeg({ quality: 90 })
          .toFile(join(dir, `${name.slice(0, 3)}.${index++}.jpg`));
      }
    }
  }
  await mkdir(join(target, '..'), { recursive: true });
  await rename(temp, target);
  return target;
}
