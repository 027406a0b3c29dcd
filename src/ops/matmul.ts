import { record } from '../autograd/tape.js';
import type { FusedActivation } from '../backend/backend.js';
import { getBackend } from '../backend/index.js';
import { pooledTensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { activationBackward } from './activations.js';
import { sumAxes } from './reduce.js';

function mm(a: Tensor, b: Tensor, m: number, k: number, n: number, transA: boolean, transB: boolean): Tensor {
  return pooledTensor(getBackend().matmul(a.f32, b.f32, m, k, n, transA, transB, null, 'linear'), [m, n]);
}

/** [m, k] · [k, n] → [m, n]. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.rank !== 2 || b.rank !== 2 || a.shape[1] !== b.shape[0]) {
    throw new Error(`matmul: expected [m, k] and [k, n], got [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
  }
  const [m, k] = a.shape as [number, number];
  const n = b.shape[1]!;
  return record(mm(a, b, m, k, n, false, false), 'matmul', [a, b],
    (dy) => [mm(dy, b, m, n, k, false, true), mm(a, dy, k, m, n, true, false)]);
}

/**
 * The dense layer's math in one kernel call: activation(x · kernel + bias).
 * x [batch, in], kernel [in, units], bias [units] or null.
 */
export function dense(x: Tensor, kernel: Tensor, bias: Tensor | null, activation: FusedActivation = 'linear'): Tensor {
  const [batch, inDim] = [x.shape[0]!, x.shape[1]!];
  const units = kernel.shape[1]!;
  if (x.rank !== 2 || kernel.shape[0] !== inDim) {
    throw new Error(`dense: input [${x.shape.join(', ')}] does not match kernel [${kernel.shape.join(', ')}]`);
  }
  const y = pooledTensor(getBackend().matmul(x.f32, kernel.f32, batch, inDim, units, false, false,
    bias ? bias.f32 : null, activation), [batch, units]);
  const inputs = bias ? [x, kernel, bias] : [x, kernel];
  return record(y, 'dense', inputs, (dy) => {
    const dz = activation === 'linear' ? dy : activationBackward(activation, y, dy);
    const grads = [
      x.requiresGrad ? mm(dz, kernel, batch, units, inDim, false, true) : null,
      mm(x, dz, inDim, batch, units, true, false),
    ];
    return bias ? [...grads, sumAxes(dz, [0])] : grads;
  });
}
