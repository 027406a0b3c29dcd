import { record } from '../autograd/tape.js';
import type { UnaryOp } from '../backend/backend.js';
import { getBackend } from '../backend/index.js';
import { pooledTensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { div, mul } from './arithmetic.js';

export function unaryOp(op: UnaryOp, x: Tensor): Tensor {
  return pooledTensor(getBackend().unary(op, x.f32), x.shape);
}

export function neg(x: Tensor): Tensor {
  return record(unaryOp('neg', x), 'neg', [x], (dy) => [unaryOp('neg', dy)]);
}

export function exp(x: Tensor): Tensor {
  const y = unaryOp('exp', x);
  return record(y, 'exp', [x], (dy) => [mul(dy, y)]);
}

export function log(x: Tensor): Tensor {
  return record(unaryOp('log', x), 'log', [x], (dy) => [div(dy, x)]);
}

export function sqrt(x: Tensor): Tensor {
  const y = unaryOp('sqrt', x);
  return record(y, 'sqrt', [x], (dy) => [div(dy, mul(y, 2))]);
}

export function square(x: Tensor): Tensor {
  return record(unaryOp('square', x), 'square', [x], (dy) => [mul(dy, mul(x, 2))]);
}

export function abs(x: Tensor): Tensor {
  return record(unaryOp('abs', x), 'abs', [x], (dy) => {
    const sign = getBackend().alloc(x.size);
    for (let i = 0; i < x.size; i++) sign[i] = Math.sign(x.f32[i]!);
    return [mul(dy, pooledTensor(sign, x.shape))];
  });
}
