import { record } from '../autograd/tape.js';
import type { BinaryOp } from '../backend/backend.js';
import { getBackend } from '../backend/index.js';
import { pooledTensor, scalar } from '../tensor/create.js';
import { broadcastShapes, sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { reshape } from './shape.js';
import { sumAxes } from './reduce.js';

export type TensorLike = Tensor | number;

const asTensor = (v: TensorLike): Tensor => (typeof v === 'number' ? scalar(v) : v);

function binaryOp(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const outShape = broadcastShapes(a.shape, b.shape, op);
  return pooledTensor(getBackend().binary(op, a.f32, a.shape, b.f32, b.shape, outShape), outShape);
}

/** Sums a broadcast gradient back down to the shape of the input it came from. */
export function sumToShape(grad: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(grad.shape, shape)) return grad;
  const lead = grad.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < grad.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && grad.shape[i] !== 1)) axes.push(i);
  }
  return reshape(sumAxes(grad, axes), shape);
}

export function add(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = [asTensor(a), asTensor(b)];
  return record(binaryOp('add', x, y), 'add', [x, y], (dy) => [sumToShape(dy, x.shape), sumToShape(dy, y.shape)]);
}

export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = [asTensor(a), asTensor(b)];
  return record(binaryOp('sub', x, y), 'sub', [x, y],
    (dy) => [sumToShape(dy, x.shape), sumToShape(binaryOp('mul', dy, scalar(-1)), y.shape)]);
}

export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = [asTensor(a), asTensor(b)];
  return record(binaryOp('mul', x, y), 'mul', [x, y],
    (dy) => [sumToShape(binaryOp('mul', dy, y), x.shape), sumToShape(binaryOp('mul', dy, x), y.shape)]);
}

export function div(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = [asTensor(a), asTensor(b)];
  return record(binaryOp('div', x, y), 'div', [x, y], (dy) => {
    const dx = binaryOp('div', dy, y);
    // d(x/y)/dy = -x/y² = -(x/y)/y
    const dyGrad = binaryOp('mul', binaryOp('div', binaryOp('mul', dx, x), y), scalar(-1));
    return [sumToShape(dx, x.shape), sumToShape(dyGrad, y.shape)];
  });
}

/** x^p elementwise; the exponent's gradient uses ln x, so it is only defined for x > 0. */
export function pow(a: TensorLike, p: TensorLike): Tensor {
  const [x, y] = [asTensor(a), asTensor(p)];
  const out = binaryOp('pow', x, y);
  return record(out, 'pow', [x, y], (dy) => {
    const dx = binaryOp('mul', dy, binaryOp('mul', y, binaryOp('pow', x, binaryOp('sub', y, scalar(1)))));
    const lnX = pooledTensor(getBackend().unary('log', x.f32), x.shape);
    const dp = binaryOp('mul', dy, binaryOp('mul', out, lnX));
    return [sumToShape(dx, x.shape), y.requiresGrad ? sumToShape(dp, y.shape) : null];
  });
}

/** Elementwise max; ties send the gradient to the first argument. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return minMax('maximum', asTensor(a), asTensor(b));
}

/** Elementwise min; ties send the gradient to the first argument. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return minMax('minimum', asTensor(a), asTensor(b));
}

function minMax(op: 'maximum' | 'minimum', x: Tensor, y: Tensor): Tensor {
  const out = binaryOp(op, x, y);
  return record(out, op, [x, y], (dy) => {
    // The first argument won wherever it equals the output after broadcasting.
    const xb = binaryOp('add', x, pooledTensor(getBackend().alloc(out.size).fill(0), out.shape));
    const fromX = getBackend().alloc(out.size);
    const fromY = getBackend().alloc(out.size);
    for (let i = 0; i < out.size; i++) {
      const winner = xb.f32[i] === out.f32[i];
      fromX[i] = winner ? dy.f32[i]! : 0;
      fromY[i] = winner ? 0 : dy.f32[i]!;
    }
    return [sumToShape(pooledTensor(fromX, out.shape), x.shape), sumToShape(pooledTensor(fromY, out.shape), y.shape)];
  });
}
