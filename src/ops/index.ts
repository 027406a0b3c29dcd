/** Differentiable tensor operations. */
export { abs, exp, log, neg, sqrt, square } from './unary.js';
export { add, div, maximum, minimum, mul, pow, sub } from './arithmetic.js';
export { relu, sigmoid, softmax, tanh } from './activations.js';
export { argMax, max, mean, sum } from './reduce.js';
export { concat, flatten, gather, reshape, slice, transpose } from './shape.js';
export { dense, matmul } from './matmul.js';
export { conv2d } from './conv2d.js';
export { averagePool2d, maxPool2d } from './pool2d.js';
export { dropout } from './dropout.js';
