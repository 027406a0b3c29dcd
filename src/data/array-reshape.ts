import { Tensor } from '../tensor/tensor.js';

/**
 * Reshapes in row-major (C) order like R keras's `array_reshape()` — unlike R's `dim<-`, which
 * is column-major. One dimension may be -1 and is inferred. The data is shared, not copied
 * (tensors are never mutated in place).
 * @example arrayReshape(imageToArray(img), [1, 150, 150, 3])   // a batch of one image
 */
export function arrayReshape(x: Tensor, shape: readonly number[]): Tensor {
  const free = shape.filter((d) => d === -1).length;
  if (free > 1 || shape.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new Error(`arrayReshape: shape [${shape.join(', ')}] must hold non-negative integers and at most one -1`);
  }
  const known = shape.reduce((p, d) => (d === -1 ? p : p * d), 1);
  const resolved = free === 1 && known > 0 && x.size % known === 0 ? shape.map((d) => (d === -1 ? x.size / known : d)) : [...shape];
  const size = resolved.reduce((p, d) => p * d, 1);
  if (size !== x.size || resolved.includes(-1)) {
    throw new Error(`arrayReshape: cannot reshape [${x.shape.join(', ')}] (${x.size} values) into [${shape.join(', ')}]`);
  }
  return new Tensor(x.data, resolved, x.dtype);
}
