/**
 * Draws the pictures of docs/explain/ for a real cat photo: SqueezeNet with its shipped ImageNet
 * weights, a cats-vs-dogs head trained on its features (the lecture's feature extraction), then
 * the photo's intermediate activations, the Grad-CAM heatmap of "cat" on fire9 and the overlay.
 *   npx tsx scripts/explain-pictures.ts [--photo ../shared/data/cats_and_dogs_small/test/cats/cat.1500.jpg]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  activations, applications, extractFeatures, flowImagesFromDirectory, gradCam, heatmapImage, imageDataGenerator, imageLoad,
  imageToArray, layers, optimizers, overlayHeatmap, plotActivations, saveImage, sequential, setSeed, tensor,
} from '../src/index.js';

const DATA = '../shared/data/cats_and_dogs_small';
const OUT = 'docs/explain';
const SIZE = 227;
const { values } = parseArgs({ options: { photo: { type: 'string', default: join(DATA, 'test', 'cats', 'cat.1500.jpg') } } });
setSeed(2026);
await mkdir(OUT, { recursive: true });

const base = await applications.squeezenet({ weights: 'imagenet', inputShape: [SIZE, SIZE, 3], pooling: 'avg' });
const caffe = imageDataGenerator({ preprocessingFunction: applications.squeezenet.preprocessInput });
const flow = (split: string) => flowImagesFromDirectory(join(DATA, split), caffe, { targetSize: [SIZE, SIZE], batchSize: 20, classMode: 'binary', shuffle: false });
const train = await extractFeatures(base, flow('train'));
const validation = await extractFeatures(base, flow('validation'));
const head = sequential([layers.dense({ units: 1, activation: 'sigmoid', inputShape: [512] })]);
head.compile({ optimizer: optimizers.rmsprop({ learningRate: 1e-3 }), loss: 'binary_crossentropy', metrics: ['acc'] });
const history = await head.fit(train.features, train.labels, { epochs: 20, batchSize: 20, validationData: [validation.features, validation.labels], verbose: 0 });
const valAcc = history.history.val_acc!.at(-1)!;
const classifier = sequential([base, head]);

// The photo at half its size keeps the committed overlay small.
const full = await imageLoad(values.photo);
const photo = await imageLoad(values.photo, { targetSize: [Math.round(full.height / 2), Math.round(full.width / 2)], interpolation: 'bilinear' });
const pixels = imageToArray(await imageLoad(values.photo, { targetSize: [SIZE, SIZE] }));
const image = applications.squeezenet.preprocessInput(tensor(Array.from(pixels.f32), [SIZE, SIZE, 3]));

const shown = ['conv1', 'pool1', 'fire3/concat', 'fire5/concat', 'fire9/concat'];
await plotActivations(await activations(classifier, image, { layers: shown }), join(OUT, 'activations.png'), { columns: 8, maxChannels: 8 });
const heat = await gradCam(classifier, image, { layer: 'fire9/concat', classIndex: 0 });
await saveImage(heatmapImage(heat, SIZE, SIZE), join(OUT, 'heatmap.png'));
await saveImage(overlayHeatmap(photo, heat), join(OUT, 'overlay.png'));

const facts = { photo: values.photo, validationAccuracyOfHead: valAcc, pCat: 1 - heat.prediction[0]!, layer: heat.layer, map: [heat.height, heat.width] };
await writeFile(join(OUT, 'pictures.json'), `${JSON.stringify(facts, null, 2)}\n`);
console.log(facts);
