// Writes small deeptype models, trained one step, as .keras and .h5 into the folder given, with
// their inputs and deeptype's outputs as JSON: scripts/keras3-check.py has Keras 3 load them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { input, layers, model, optimizers, schedules, sequential, setProfile, setSeed, type Model, type Tensor } from '../src/index.js';
import { randomUniform, tensor } from '../src/tensor/create.js';

const out = process.argv[2];
if (!out) throw new Error('usage: tsx scripts/keras3-check-models.ts <folder>');
setSeed(7);

function branches(): Model {
  const img = input({ shape: [6, 6, 2], name: 'img' });
  const a = layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', name: 'left' }).apply(img);
  const b = layers.conv2d({ filters: 3, kernelSize: 1, activation: 'relu', name: 'right' }).apply(img);
  const c = layers.concatenate().apply([a, b]);
  const d = layers.averagePooling2d({ poolSize: 2 }).apply(c);
  const e = layers.globalMaxPooling2d().apply(d);
  return model({ inputs: img, outputs: layers.dense({ units: 1, activation: 'sigmoid' }).apply(e), name: 'branches' });
}

const cases: [string, Model, Tensor, Tensor][] = [
  ['convnet', sequential([
    layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 3] }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.flatten(),
    layers.dropout({ rate: 0.5 }),
    layers.dense({ units: 3, activation: 'softmax' }),
  ]), randomUniform([4, 8, 8, 3], 0, 1, { seed: 1 }), tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0]])],
  ['branches', branches(), randomUniform([5, 6, 6, 2], 0, 1, { seed: 2 }), tensor([[0], [1], [1], [0], [1]])],
  ['nested', sequential([branches(), layers.dense({ units: 2, activation: 'softmax' })], { name: 'outer' }),
    randomUniform([5, 6, 6, 2], 0, 1, { seed: 3 }), tensor([[1, 0], [0, 1], [0, 1], [1, 0], [0, 1]])],
];
const compileWith = [
  optimizers.adam({ learningRate: 0.01 }),
  optimizers.rmsprop({ learningRate: 0.01 }),
  optimizers.adamW({ learningRate: schedules.exponentialDecay({ initialLearningRate: 0.05, decaySteps: 10, decayRate: 0.5 }) }),
];
for (const [i, [name, m, x, y]] of cases.entries()) {
  const loss = y.shape[1] === 1 ? 'binary_crossentropy' : 'categorical_crossentropy';
  m.compile({ optimizer: compileWith[i]!, loss, metrics: ['accuracy'] });
  await m.fit(x, y, { batchSize: x.shape[0]!, epochs: 1, verbose: 0 });
  await m.save(join(out, `${name}.keras`));
  // The .h5 in tf.keras's layout (the TF2 profile), which Keras 3 reads; it cannot read Keras
  // 2.2.4's (the default), whether Keras 2.2.4 or deeptype wrote it.
  setProfile('TF2');
  await m.save(join(out, `${name}.h5`));
  setProfile('K22');
  const nested = (t: Tensor): unknown => {
    const rows = t.shape[0]!;
    const per = t.size / rows;
    return Array.from({ length: rows }, (_, r) => Array.from(t.f32.subarray(r * per, (r + 1) * per)));
  };
  writeFileSync(join(out, `${name}.json`), JSON.stringify({ shape: x.shape, inputs: Array.from(x.f32), outputs: nested(await m.predict(x)),
    iterations: m.compiled!.optimizer.iterations }));
}
