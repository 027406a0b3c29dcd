import type { BinaryOp, FusedActivation, ReduceOp, UnaryOp } from '../backend.js';

/**
 * Op names → the numeric codes of the enums in native/kernels.h (same order). A Record, so a
 * name added to the backend contract without a code here is a compile error.
 */
export const unaryCode: Record<UnaryOp, number> = {
  neg: 0, exp: 1, log: 2, sqrt: 3, square: 4, abs: 5, relu: 6, sigmoid: 7, tanh: 8,
};

export const activationCode: Record<FusedActivation, number> = { linear: 0, relu: 1, sigmoid: 2, tanh: 3 };

export const binaryCode: Record<BinaryOp, number> = {
  add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6,
};

export const reduceCode: Record<ReduceOp, number> = { sum: 0, max: 1 };
