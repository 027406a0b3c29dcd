/**
 * Step 8: the patterns the filters of a pretrained network respond to, by gradient ascent in
 * input space: start from a gray image with noise and change it, 40 times, in the direction
 * that most increases one filter's mean activation.
 *   npx tsx examples/08-filters.ts [--base squeezenet|vgg16] [--lecture]
 * Quick by default (16 filters of 64×64); --lecture draws 64 filters of 150×150 per layer, as the book.
 */
import { join } from 'node:path';
import { plotFilters, visualizeFilter } from '../src/index.js';
import { convBase, exampleOptions } from './common.js';

const o = exampleOptions({ epochs: 1 });
const lecture = process.argv.includes('--lecture');

const base = await convBase(o);
const layers = o.base === 'squeezenet'
  ? ['conv1', 'fire3/expand3x3', 'fire5/expand3x3', 'fire7/expand3x3']
  : ['block1_conv1', 'block2_conv1', 'block3_conv1', 'block4_conv1'];

// One filter first: its mean activation before and after the ascent.
const pattern = await visualizeFilter(base, layers[2]!, 0, { size: o.imageSize });
console.log(`${layers[2]}, filter 0: mean activation ${pattern.startActivation.toFixed(3)} → ${pattern.finalActivation.toFixed(3)}`);

for (const layer of layers) {
  const file = join(o.out, `filters_${layer.replace(/\W+/g, '_')}.png`);
  await plotFilters(base, layer, file, { count: lecture ? 64 : 16, size: o.imageSize, steps: lecture ? 40 : 20 });
  console.log(`Saved ${file}`);
}
