import type { Tensor } from '../tensor.js';
import { normalizeDim, splitAround } from '../shape.js';
import { getBackend } from '../backend/index.js';
import { apply } from '../autograd/graph.js';
import { defineOp, type OpDef } from './registry.js';
import { asTensor, uninitialized } from './util.js';
import { exp, mul, sub } from './elementwise.js';
import { sum } from './reduce.js';

interface SoftmaxAttrs {
  dim: number;
}

function softmaxForward(log: boolean, x: Tensor, dim: number): Tensor {
  const out = uninitialized(x.dtype, x.shape);
  const [outer, run, inner] = splitAround(x.shape, dim, dim);
  getBackend().softmax(log, x.data, outer, run, inner, out.data);
  return out;
}

const NON_ANALYTIC = 'the kernel shifts each slice by its real maximum';

/**
 * y = exp(x - max) / Σ exp(x - max) along `dim`, in one kernel. Its derivatives are written
 * with ops on the output, so derivatives of any order work: dx = y ⊙ (g - Σ g ⊙ y).
 */
export const softmaxOp: OpDef<SoftmaxAttrs> = defineOp<SoftmaxAttrs>({
  name: 'softmax',
  forward: ([x], { dim }) => softmaxForward(false, x, dim),
  vjp: (g, { output: y, attrs: { dim } }) => [mul(y, sub(g, sum(mul(g, y), dim, true)))],
  jvp: ([t], { output: y, attrs: { dim } }) => mul(y, sub(t!, sum(mul(t!, y), dim, true))),
  nonAnalytic: NON_ANALYTIC,
});

/** y = (x - max) - log Σ exp(x - max) along `dim`, in one kernel: dx = g - exp(y) Σ g. */
export const logSoftmaxOp: OpDef<SoftmaxAttrs> = defineOp<SoftmaxAttrs>({
  name: 'logSoftmax',
  forward: ([x], { dim }) => softmaxForward(true, x, dim),
  vjp: (g, { output: y, attrs: { dim } }) => [sub(g, mul(exp(y), sum(g, dim, true)))],
  jvp: ([t], { output: y, attrs: { dim } }) => sub(t!, sum(mul(exp(y), t!), dim, true)),
  nonAnalytic: NON_ANALYTIC,
});

/** Softmax along `dim` (negative counts from the end). */
export function softmax(x: Tensor, dim: number): Tensor {
  const t = asTensor('softmax', x);
  return apply(softmaxOp, [t], { dim: normalizeDim('softmax', dim, t.ndim, t.shape) });
}

/** Log-softmax along `dim` (negative counts from the end). */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  const t = asTensor('logSoftmax', x);
  return apply(logSoftmaxOp, [t], { dim: normalizeDim('logSoftmax', dim, t.ndim, t.shape) });
}

export const softmaxOps: readonly OpDef<any>[] = [softmaxOp, logSoftmaxOp];
