/**
 * myelin: neural-network training for Node.js.
 * `import * as my from 'myelin'`
 */
export { Tensor } from './tensor.js';
export type { DType, Storage } from './dtype.js';
export {
  tensor, zeros, ones, full, randn, rand, arange, eye, zerosLike, onesLike, randnLike,
  type TensorOptions,
} from './creation.js';
export { manualSeed } from './random.js';
export { noGrad } from './autograd/mode.js';
export { backend, setBackend, setNumThreads } from './backend/index.js';
export {
  add, sub, mul, div, pow, neg, maximum, minimum, matmul,
  exp, log, sqrt, abs, sin, cos, tanh, sigmoid, relu, square, reciprocal, sign,
  eq, gt, lt, ge, le, where,
  sum, mean, max, argmax,
  reshape, transpose, permute, flatten, unsqueeze, squeeze, broadcastTo, narrow, concat, stack, gather, scatterAdd,
} from './ops/index.js';
export * as autograd from './autograd/index.js';
import { det, inv, solve } from './ops/linalg.js';
/** `my.linalg.det(A)`, `my.linalg.inv(A)`, `my.linalg.solve(A, B)`. */
export const linalg = { det, inv, solve };
export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export * as train from './train/index.js';
export * as plot from './plot/index.js';
export * as data from './data/index.js';
export { save, load, saveSync, loadSync } from './io/index.js';
