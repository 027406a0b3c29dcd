/**
 * Step 9: class activation maps (Grad-CAM). Where in the photo did the network find the
 * evidence for "cat"? The feature maps of the last convolution, weighted by how much each
 * channel matters to the class score, drawn over the photo.
 *   npx tsx examples/09-grad-cam.ts [--model runs/examples/cats_and_dogs_small_2.h5] [--image cat.jpg]
 * The model from 03 takes images rescaled by 1/255, as here.
 */
import { join } from 'node:path';
import { gradCam, heatmapImage, imageLoad, imageToArray, loadModel, overlayHeatmap, saveImage, tensor } from '../src/index.js';
import { exampleOptions } from './common.js';

const o = exampleOptions({ epochs: 1 });

const trained = await loadModel(o.model);
const [height, width] = trained.batchInputShape!.slice(1, 3) as [number, number];
const img = imageToArray(await imageLoad(o.image, { targetSize: [height, width] }));
const x = tensor(Array.from(img.f32, (v) => v / 255), [height, width, 3]);

// Without { layer }, the last convolution; without { classIndex }, the predicted class.
const heatmap = await gradCam(trained, x);
const dog = heatmap.prediction[0]!;
console.log(`P(dog) = ${dog.toFixed(3)}: explaining class ${heatmap.classIndex} (${heatmap.classIndex === 1 ? 'dog' : 'cat'}) ` +
  `on ${heatmap.layer}, a ${heatmap.height}×${heatmap.width} map`);

await saveImage(heatmapImage(heatmap, width, height), join(o.out, 'heatmap.png'));
// The heatmap over the original photo, at its own size: 40% heatmap, 60% photo.
await saveImage(overlayHeatmap(await imageLoad(o.image), heatmap, { alpha: 0.4 }), join(o.out, 'overlay.png'));
console.log(`Saved ${join(o.out, 'heatmap.png')} and ${join(o.out, 'overlay.png')}`);
