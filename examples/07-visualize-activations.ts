/**
 * Step 7: what the convnet sees. Take the model trained with augmentation and dropout (03),
 * one test cat, and a model from the same input to the outputs of its first 8 layers (4
 * convolutions, 4 pools), sharing the trained weights; draw every channel of every layer.
 *   npx tsx examples/07-visualize-activations.ts [--model runs/examples/cats_and_dogs_small_2.h5] [--image cat.jpg]
 * The first layers keep almost all of the photo (edge detectors); deeper ones grow abstract
 * ("cat ear", "cat eye") and sparser: more channels stay blank.
 */
import { join } from 'node:path';
import { activations, imageLoad, imageToArray, loadModel, model, plotActivations, tensor } from '../src/index.js';
import { exampleOptions } from './common.js';

const o = exampleOptions({ epochs: 1 });

const trained = await loadModel(o.model);
trained.summary();
const [height, width] = trained.batchInputShape!.slice(1, 3) as [number, number];

// The image as the model saw its training images: resized, as an array, rescaled by 1/255.
const img = imageToArray(await imageLoad(o.image, { targetSize: [height, width] }));
const imgTensor = tensor(Array.from(img.f32, (v) => v / 255), [1, height, width, 3]);

// keras_model(inputs = model$input, outputs = layer_outputs): one output per layer.
const layerOutputs = trained.layers.slice(0, 8).map((layer) => layer.output);
const activationModel = model({ inputs: trained.input, outputs: layerOutputs });
const outputs = await activationModel.predict(imgTensor);
outputs.forEach((a, i) => console.log(`${trained.layers[i]!.name}: ${a.shape.join(' × ')}`));

// The same, drawn: one grid of channels per layer, each scaled by its own mean and spread.
const file = join(o.out, 'activations.png');
await plotActivations(await activations(trained, imgTensor, { layers: trained.layers.slice(0, 8).map((l) => l.name) }), file);
console.log(`Saved ${file}`);
