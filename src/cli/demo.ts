import { barsDataset } from '../data/synthetic-bars.js';
import { layers } from '../layers/index.js';
import { sequential } from '../models/factories.js';
import { optimizers } from '../optimizers/index.js';
import { backendName } from '../backend/index.js';
import { setSeed } from '../tensor/random.js';
import type { Sequential } from '../models/sequential.js';

/** The lecture's convnet for 150×150 RGB images (cats vs dogs). */
export function lectureModel(): Sequential {
  return sequential([
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
}

/**
 * The no-data demo: prints the lecture convnet's summary, then trains a small convnet on a
 * generated two-class image set in memory and reports its held-out accuracy.
 */
export async function runDemo(options: { epochs: number; seed: number }): Promise<number> {
  setSeed(options.seed);
  console.log(`deeptype on the ${backendName()} backend\n\nThe lecture's convnet:`);
  lectureModel().summary();
  console.log('\nTraining a small convnet on generated images (horizontal vs vertical bars, 32×32):');
  const train = barsDataset({ samples: 1000, size: 32, seed: options.seed });
  const test = barsDataset({ samples: 200, size: 32, seed: options.seed + 1 });
  const model = sequential([
    layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', inputShape: [32, 32, 1] }),
    layers.maxPooling2d(),
    layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
    layers.maxPooling2d(),
    layers.flatten(),
    layers.dense({ units: 32, activation: 'relu' }),
    layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer: optimizers.rmsprop({ learningRate: 1e-3 }), loss: 'binary_crossentropy', metrics: ['acc'] });
  await model.fit(train.x, train.y, { epochs: options.epochs, batchSize: 20, validationSplit: 0.2 });
  const { acc } = await model.evaluate(test.x, test.y);
  console.log(`\nHeld-out accuracy: ${(100 * acc!).toFixed(1)}% on ${test.x.shape[0]} generated images`);
  return acc!;
}
