/**
 * Step 1 of the lecture: what a convnet looks like. Two summaries, no data and no training:
 *   npx tsx examples/01-convnet-basics.ts
 * First the small MNIST convnet without pooling (each 3×3 convolution shrinks the map by 2,
 * so its last layer still sees only a 7×7 window of the digit), then the lecture's convnet for
 * 150×150 cats and dogs, where max-pooling halves the map after every convolution.
 */
import { layers, sequential } from '../src/index.js';

console.log('MNIST convnet without max-pooling:');
const modelNoMaxPool = sequential([
  layers.conv2d({ filters: 32, kernelSize: [3, 3], activation: 'relu', inputShape: [28, 28, 1] }),
  layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }),
  layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }),
]);
modelNoMaxPool.summary();

console.log('\nThe cats-vs-dogs convnet:');
const model = sequential([
  layers.conv2d({ filters: 32, kernelSize: [3, 3], activation: 'relu', inputShape: [150, 150, 3] }),
  layers.maxPooling2d({ poolSize: [2, 2] }),
  layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }),
  layers.maxPooling2d({ poolSize: [2, 2] }),
  layers.conv2d({ filters: 128, kernelSize: [3, 3], activation: 'relu' }),
  layers.maxPooling2d({ poolSize: [2, 2] }),
  layers.conv2d({ filters: 128, kernelSize: [3, 3], activation: 'relu' }),
  layers.maxPooling2d({ poolSize: [2, 2] }),
  layers.flatten(),
  layers.dense({ units: 512, activation: 'relu' }),
  layers.dense({ units: 1, activation: 'sigmoid' }),
]);
model.summary();
