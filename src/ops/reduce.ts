import type { Tensor } from '../tensor.js';
import { check, fmtShape } from '../check.js';
import { normalizeDim, normalizeDims } from '../shape.js';
import { getBackend } from '../backend/index.js';
import { apply } from '../autograd/graph.js';
import { defineLinearOp, defineOp, type OpDef } from './registry.js';
import { asTensor, empty, uninitialized } from './util.js';
import { expandTo } from './broadcast.js';
import { reshape } from './shape.js';
import { div, eq, mul } from './elementwise.js';

interface ReduceAttrs {
  /** Sorted, distinct axes to reduce (shared, never mutated: see allAxes). */
  readonly axes: readonly number[];
  keepDim: boolean;
}

function reducedShape(shape: readonly number[], axes: readonly number[], keepDim: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (!axes.includes(i)) out.push(shape[i]);
    else if (keepDim) out.push(1);
  }
  return out;
}

/** `g` (the reduced output's shape) stretched back over the reduced axes of `x`. */
function unreduce(g: Tensor, x: Tensor, { axes }: ReduceAttrs): Tensor {
  return expandTo(reshape(g, reducedShape(x.shape, axes, true)), x);
}

export const sumOp = defineLinearOp<ReduceAttrs>({
  name: 'sum',
  forward: ([x], { axes, keepDim }) => {
    const out = uninitialized(x.dtype, reducedShape(x.shape, axes, keepDim));
    getBackend().reduce('sum', x.data, x.shape, axes, out.data);
    return out;
  },
  vjp: (g, { inputs: [x], attrs }) => [unreduce(g, x, attrs)],
  jvp: ([t], { attrs }) => sum(t!, attrs.axes, attrs.keepDim),
});

export const maxOp = defineOp<ReduceAttrs>({
  name: 'max',
  forward: ([x], { axes, keepDim }) => {
    check(axes.every((a) => x.shape[a] > 0), () => `max: cannot reduce an empty dimension of ${fmtShape(x.shape)}`);
    const out = empty(x.dtype, reducedShape(x.shape, axes, keepDim));
    getBackend().reduce('max', x.data, x.shape, axes, out.data);
    return out;
  },
  // The gradient is shared evenly among tied maxima (torch.amax's rule).
  vjp: (g, { inputs: [x], output, attrs }) => [mul(unreduce(g, x, attrs), maxShare(x, output, attrs))],
  jvp: ([t], { inputs: [x], output, attrs }) => sum(mul(t!, maxShare(x, output, attrs)), attrs.axes, attrs.keepDim),
  nonAnalytic: 'max is piecewise',
});

/** 1/(number of ties) where x attains the max, 0 elsewhere. */
function maxShare(x: Tensor, output: Tensor, attrs: ReduceAttrs): Tensor {
  const mask = eq(x, unreduce(output.detach(), x, attrs));
  return div(mask, unreduce(sum(mask, attrs.axes, attrs.keepDim), x, attrs));
}

/** [0, 1, ..., ndim-1], built once per rank: a loss's mean() runs on every batch. */
const allAxesByRank: (readonly number[])[] = [];
function allAxes(ndim: number): readonly number[] {
  return (allAxesByRank[ndim] ??= Object.freeze(Array.from({ length: ndim }, (_, i) => i)));
}

function reduceArgs(op: string, x: Tensor, dim: number | readonly number[] | undefined, keepDim: boolean): ReduceAttrs {
  check(typeof keepDim === 'boolean', () => `${op}: keepDim must be a boolean, got ${String(keepDim)}`);
  const all = dim === undefined || dim === null || (Array.isArray(dim) && dim.length === 0);
  if (all) return { axes: allAxes(x.ndim), keepDim };
  const axes = normalizeDims(op, dim, x.shape);
  // A 0-d tensor accepts dim 0 or -1 (as PyTorch does) but has no axis to reduce.
  return { axes: x.ndim === 0 ? [] : axes, keepDim };
}

/** Sum over `dim` (all when omitted): `x.sum(1, true)`. */
export function sum(x: Tensor, dim?: number | readonly number[], keepDim = false): Tensor {
  const t = asTensor('sum', x);
  return apply(sumOp, [t], reduceArgs('sum', t, dim, keepDim));
}

/** Mean over `dim` (all when omitted). */
export function mean(x: Tensor, dim?: number | readonly number[], keepDim = false): Tensor {
  const t = asTensor('mean', x);
  const attrs = reduceArgs('mean', t, dim, keepDim);
  let count = 1;
  for (const a of attrs.axes) count *= t.shape[a];
  return div(apply(sumOp, [t], attrs), count);
}

/** Maximum over `dim` (all when omitted); ties share the gradient. */
export function max(x: Tensor, dim?: number | readonly number[], keepDim = false): Tensor {
  const t = asTensor('max', x);
  return apply(maxOp, [t], reduceArgs('max', t, dim, keepDim));
}

/** Index of the maximum along `dim` (of the flattened tensor when omitted), as float values. */
export function argmax(x: Tensor, dim?: number, keepDim = false): Tensor {
  const t = asTensor('argmax', x);
  check(t.size > 0, () => `argmax: empty tensor ${fmtShape(t.shape)}`);
  if (dim === undefined) {
    const flat = t.detach().reshape(-1);
    const out = empty(t.dtype, keepDim ? t.shape.map(() => 1) : []);
    getBackend().argmax(flat.data, flat.shape, 0, out.data);
    return out;
  }
  const d = normalizeDim('argmax', dim, t.ndim, t.shape);
  const shape = t.ndim === 0 ? [1] : t.shape;
  const out = empty(t.dtype, reducedShape(t.shape, [d], keepDim));
  getBackend().argmax(t.data, shape, d, out.data);
  return out;
}

export const reduceOps: readonly OpDef<any>[] = [sumOp, maxOp];
