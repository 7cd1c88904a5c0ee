import type { Tensor } from '../../tensor.js';
import { exp, log, relu as reluOp, sigmoid as sigmoidOp, sub, tanh as tanhOp } from '../../ops/elementwise.js';
import { max, sum } from '../../ops/reduce.js';
import { normalizeDim } from '../../shape.js';
import { asTensor } from '../../ops/util.js';

/** max(x, 0) */
export function relu(x: Tensor): Tensor {
  return reluOp(asTensor('relu', x));
}

export function sigmoid(x: Tensor): Tensor {
  return sigmoidOp(asTensor('sigmoid', x));
}

export function tanh(x: Tensor): Tensor {
  return tanhOp(asTensor('tanh', x));
}

export interface DimOptions {
  dim?: number;
}

/**
 * log(softmax(x)) along `dim` (default -1), computed as x - max - log Σ exp(x - max) so that
 * large logits never overflow: `F.logSoftmax(x, { dim: 1 })`.
 */
export function logSoftmax(input: Tensor, opts: DimOptions = {}): Tensor {
  const x = asTensor('logSoftmax', input);
  const dim = normalizeDim('logSoftmax', opts.dim ?? -1, x.ndim, x.shape);
  // The shift is a constant for the gradient (it cancels exactly), so it is detached.
  const shifted = sub(x, max(x, dim, true).detach());
  return sub(shifted, log(sum(exp(shifted), dim, true)));
}

/** exp(x) / Σ exp(x) along `dim` (default -1), max-shifted for stability. */
export function softmax(input: Tensor, opts: DimOptions = {}): Tensor {
  return exp(logSoftmax(asTensor('softmax', input), opts));
}
