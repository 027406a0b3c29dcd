import { record } from '../autograd/tape.js';
import type { ActivationGradOp, FusedActivation } from '../backend/backend.js';
import { getBackend } from '../backend/index.js';
import { pooledTensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul, sub } from './arithmetic.js';
import { elu, gelu, hardSigmoid, relu6, selu, swish } from './more-activations.js';
import { sumAxes } from './reduce.js';
import { markReluOutput, preMaskedPooled } from './relu-pool-grad.js';
import { unaryOp } from './unary.js';

/** Backward of an activation from its output y: dx = dy · f'(y). Shared with the fused ops. */
export function activationBackward(op: ActivationGradOp, y: Tensor, dy: Tensor): Tensor {
  return pooledTensor(getBackend().activationGrad(op, y.f32, dy.f32), y.shape);
}

function pointwise(op: ActivationGradOp, x: Tensor): Tensor {
  const y = unaryOp(op, x);
  if (op === 'relu') markReluOutput(y);
  return record(y, op, [x], (dy) => [preMaskedPooled(dy, y) ? dy : activationBackward(op, y, dy)]);
}

export const relu = (x: Tensor): Tensor => pointwise('relu', x);
export const sigmoid = (x: Tensor): Tensor => pointwise('sigmoid', x);
export const tanh = (x: Tensor): Tensor => pointwise('tanh', x);

/** Softmax over the last axis. */
export function softmax(x: Tensor): Tensor {
  const cols = x.shape[x.rank - 1] ?? 1;
  const y = pooledTensor(getBackend().softmax(x.f32, x.size / cols, cols), x.shape);
  return record(y, 'softmax', [x], (dy) => {
    // dx = y · (dy − Σ_j dy_j y_j)
    const dot = sumAxes(mul(dy, y), [x.rank - 1], true);
    return [mul(y, sub(dy, dot))];
  });
}

export type ActivationName = FusedActivation | 'softmax' | 'elu' | 'selu' | 'gelu' | 'swish' | 'silu' | 'relu6' | 'hard_sigmoid';
export const ACTIVATIONS: readonly ActivationName[] = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'gelu',
  'swish', 'silu', 'relu6', 'hard_sigmoid'];
const FUSED: readonly string[] = ['linear', 'relu', 'sigmoid', 'tanh'];

/** Whether a convolution or dense kernel can apply `name` in its epilogue (see FusedActivation). */
export const isFused = (name: ActivationName): name is FusedActivation => FUSED.includes(name);

/** Applies a Keras activation by name ('linear' is the identity). */
export function activate(x: Tensor, name: ActivationName): Tensor {
  switch (name) {
    case 'linear': return x;
    case 'relu': return relu(x);
    case 'sigmoid': return sigmoid(x);
    case 'tanh': return tanh(x);
    case 'softmax': return softmax(x);
    case 'elu': return elu(x);
    case 'selu': return selu(x);
    case 'gelu': return gelu(x);
    case 'swish': case 'silu': return swish(x);
    case 'relu6': return relu6(x);
    case 'hard_sigmoid': return hardSigmoid(x);
  }
}

/**
 * A kernel's output z, then its activation: fused ones were applied by the kernel already
 * (`epilogue(name)` tells the kernel which), the others are applied here.
 */
export function finishActivation(z: Tensor, name: ActivationName): Tensor {
  return isFused(name) ? z : activate(z, name);
}

/** What a kernel applies in its epilogue for `name`: the activation itself when it can, else nothing. */
export const epilogue = (name: ActivationName): FusedActivation => (isFused(name) ? name : 'linear');

export function checkActivation(name: string, where: string): ActivationName {
  if (!(ACTIVATIONS as readonly string[]).includes(name)) {
    throw new Error(`${where}: unknown activation '${name}'; expected one of ${ACTIVATIONS.join(', ')}`);
  }
  return name as ActivationName;
}
