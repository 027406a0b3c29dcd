import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/factories.js';
import type { Sequential } from '../../src/models/sequential.js';

/** The lecture's convnet ("model A"): 150×150×3 → 4 conv/pool stages → dense 512 → sigmoid. */
export function lectureConvnet(dropout = false): Sequential {
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
    ...(dropout ? [layers.dropout({ rate: 0.5 })] : []),
    layers.dense({ units: 512, activation: 'relu' }),
    layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
}
