import type { Tensor } from '../tensor.js';
import { check, fmtShape } from '../check.js';
import { normalizeDim, sameShape } from '../shape.js';
import { getBackend } from '../backend/index.js';
import { apply } from '../autograd/graph.js';
import { defineLinearOp, type OpDef } from './registry.js';
import { asTensor, empty } from './util.js';

// Index-gather and its adjoint: what cross-entropy's "pick the target's log-probability" needs.

interface IndexAttrs {
  dim: number;
  /** Integer values, validated against the indexed dimension. */
  index: Tensor;
}

export const gatherOp: OpDef<IndexAttrs> = defineLinearOp<IndexAttrs>({
  name: 'gather',
  forward: ([x], { dim, index }) => {
    const out = empty(x.dtype, index.shape);
    getBackend().gather(x.data, x.shape, dim, index.data, out.data, index.shape);
    return out;
  },
  vjp: (g, { inputs: [x], attrs }) => [scatterAdd(g, attrs.dim, attrs.index, x.shape)],
  jvp: ([t], { attrs }) => apply(gatherOp, [t!], attrs),
});

export const scatterAddOp: OpDef<IndexAttrs & { shape: readonly number[] }> = defineLinearOp<IndexAttrs & { shape: readonly number[] }>({
  name: 'scatterAdd',
  forward: ([src], { dim, index, shape }) => {
    const out = empty(src.dtype, shape);
    getBackend().scatterAdd(src.data, src.shape, dim, index.data, out.data, shape);
    return out;
  },
  vjp: (g, { attrs }) => [apply(gatherOp, [g], { dim: attrs.dim, index: attrs.index })],
  jvp: ([t], { attrs }) => apply(scatterAddOp, [t!], attrs),
});

/** Validates an index tensor against the indexed shape; the kernels trust it. */
function checkIndex(op: string, shape: readonly number[], dim: number, index: Tensor): void {
  check(index.ndim === shape.length, () => `${op}: index ${fmtShape(index.shape)} must have as many dims as the input ${fmtShape(shape)}`);
  for (let i = 0; i < shape.length; i++) {
    check(i === dim || index.shape[i] <= shape[i], () =>
      `${op}: index ${fmtShape(index.shape)} is larger than the input ${fmtShape(shape)} in dim ${i}`);
  }
  const n = shape[dim], data = index.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!(Number.isInteger(v) && v >= 0 && v < n)) {
      throw new Error(`${op}: index ${v} at position ${i} is out of range for dim ${dim} of size ${n} (input ${fmtShape(shape)})`);
    }
  }
}

/** out[i][j] = x[i][index[i][j]] for dim 1 (torch.gather): picks one logit per row, say. */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const t = asTensor('gather', x);
  const idx = asTensor('gather', index, 'index');
  const d = normalizeDim('gather', dim, t.ndim, t.shape);
  checkIndex('gather', t.shape, d, idx);
  return apply(gatherOp, [t], { dim: d, index: idx.detach() });
}

/** A zero tensor of `shape` with `src` added at `index` along `dim` (the adjoint of gather). */
export function scatterAdd(src: Tensor, dim: number, index: Tensor, shape: readonly number[]): Tensor {
  const s = asTensor('scatterAdd', src);
  const idx = asTensor('scatterAdd', index, 'index');
  const d = normalizeDim('scatterAdd', dim, s.ndim, s.shape);
  check(sameShape(idx.shape, s.shape), () => `scatterAdd: index ${fmtShape(idx.shape)} and src ${fmtShape(s.shape)} differ`);
  checkIndex('scatterAdd', shape, d, idx);
  return apply(scatterAddOp, [s], { dim: d, index: idx.detach(), shape: shape.slice() });
}

export const indexingOps: readonly OpDef<any>[] = [gatherOp, scatterAddOp];
