import type { Backend } from '../backend.js';
import {
  concatConv2dPointwise, conv2d, conv2dBackpropFilter, conv2dBackpropInput, conv2dMaxPool, conv2dMaxPoolBackward,
} from './conv.js';
import { activationGrad, binary, unary } from './elementwise.js';
import { matmul } from './matmul.js';
import { alloc, release } from './memory.js';
import { adamUpdate, rmspropUpdate, sgdUpdate } from './optimizers.js';
import { avgPool, avgPoolBackward, maxPool, maxPoolBackward } from './pool2d.js';
import { copyBlock } from './copy-block.js';
import { reduce, softmax, transpose } from './reduce.js';

/** The pure-TypeScript reference backend: the oracle in tests and the fallback everywhere. */
export const jsBackend: Backend = {
  name: 'js',
  alloc,
  release,
  unary,
  activationGrad,
  binary,
  reduce,
  transpose,
  copyBlock,
  softmax,
  matmul,
  conv2d,
  concatConv2dPointwise,
  conv2dMaxPool,
  conv2dMaxPoolBackward,
  conv2dBackpropInput,
  conv2dBackpropFilter,
  maxPool,
  maxPoolBackward,
  avgPool,
  avgPoolBackward,
  sgdUpdate,
  rmspropUpdate,
  adamUpdate,
};
