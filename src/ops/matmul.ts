import type { Tensor } from '../tensor.js';
import { promoteTypes } from '../dtype.js';
import { check, fmtShape } from '../check.js';
import { broadcastShapes, sizeOf } from '../shape.js';
import { getBackend } from '../backend/index.js';
import { apply } from '../autograd/graph.js';
import { defineOp, type OpDef } from './registry.js';
import { asTensor, uninitialized } from './util.js';
import { add } from './elementwise.js';
import { bilinearInParts } from '../autograd/complex.js';
import { broadcastTo, cast, reshape, squeeze, unsqueeze } from './shape.js';

/** op(A) is A or Aᵀ: the kernels take transpose flags so no transpose is materialised. */
interface MmAttrs {
  transA: boolean;
  transB: boolean;
}

/** Rows and columns of op(X) for the last two dims. */
function opDims(x: Tensor, trans: boolean): [number, number] {
  const r = x.shape[x.ndim - 2], c = x.shape[x.ndim - 1];
  return trans ? [c, r] : [r, c];
}

/**
 * Matrix product of 2-D or equal-batch 3-D operands: [b?, m, k] x [b?, k, n] after the
 * transpose flags. Both backends run it as one (batched) GEMM.
 */
function mmForward([a, b]: readonly Tensor[], { transA, transB }: MmAttrs): Tensor {
  const [m, k] = opDims(a, transA), [, n] = opDims(b, transB);
  const batched = a.ndim === 3;
  const out = uninitialized(a.dtype, batched ? [a.shape[0], m, n] : [m, n]);
  if (m === 0 || n === 0) return out;
  const lda = a.shape[a.ndim - 1], ldb = b.shape[b.ndim - 1];
  if (k === 0) {
    out.data.fill(0); // an empty sum: the kernel is not called, so the zeros are written here
    return out;
  }
  if (batched) {
    getBackend().gemmBatched(transA, transB, m, n, k, 1, a.data, lda, m * k, b.data, ldb, k * n, 0, out.data, n, m * n, a.shape[0]);
  } else {
    getBackend().gemm(transA, transB, m, n, k, 1, a.data, lda, b.data, ldb, 0, out.data, n);
  }
  return out;
}

export const mmOp = defineOp<MmAttrs>({
  name: 'mm',
  forward: mmForward,
  complex: bilinearInParts(mmForward),
  // C = op(A) op(B): dA and dB are again products of g with the other operand, flags flipped.
  freshGrads: true,
  vjp: (g, { inputs: [a, b], attrs: { transA, transB } }) => [
    a.requiresGrad ? (transA ? mm(b, g, transB, true) : mm(g, b, false, !transB)) : null,
    b.requiresGrad ? (transB ? mm(g, a, true, transA) : mm(a, g, !transA, false)) : null,
  ],
  jvp: ([ta, tb], { inputs: [a, b], attrs: { transA, transB } }) => {
    const left = ta ? mm(ta, b, transA, transB) : null;
    const right = tb ? mm(a, tb, transA, transB) : null;
    return left && right ? add(left, right) : (left ?? right)!;
  },
});

/** op(a) @ op(b) for 2-D (or equal-batch 3-D) tensors of one dtype; the building block of matmul and linear. */
export function mm(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  const [, ka] = opDims(a, transA), [kb] = opDims(b, transB);
  check(ka === kb, () => `matmul: ${fmtShape(a.shape)}${transA ? 'ᵀ' : ''} @ ${fmtShape(b.shape)}${transB ? 'ᵀ' : ''}: inner dimensions ${ka} and ${kb} differ`);
  return apply(mmOp, [a, b], { transA, transB });
}

/**
 * Matrix product with torch.matmul's rules: 1-D operands gain and then lose a dimension,
 * batch dimensions broadcast. `x.matmul(w)`.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  let x = asTensor('matmul', a), y = asTensor('matmul', b, 'other');
  check(x.ndim >= 1 && y.ndim >= 1, () => `matmul: both operands need at least 1 dimension, got ${fmtShape(x.shape)} @ ${fmtShape(y.shape)}`);
  const dtype = promoteTypes(x.dtype, y.dtype);
  x = cast(x, dtype);
  y = cast(y, dtype);
  const k1 = x.shape[x.ndim - 1], k2 = y.ndim === 1 ? y.shape[0] : y.shape[y.ndim - 2];
  check(k1 === k2, () => `matmul: ${fmtShape(x.shape)} @ ${fmtShape(y.shape)}: inner dimensions ${k1} and ${k2} differ`);
  if (x.ndim === 1 && y.ndim === 1) return reshape(mm(reshape(x, [1, k1]), reshape(y, [k1, 1])), []);
  if (x.ndim === 1) return squeeze(matmul(unsqueeze(x, 0), y), -2);
  if (y.ndim === 1) return squeeze(matmul(x, unsqueeze(y, -1)), -1);
  if (x.ndim === 2 && y.ndim === 2) return mm(x, y);
  const m = x.shape[x.ndim - 2], n = y.shape[y.ndim - 1];
  // A batch of rows against one matrix is a single tall GEMM.
  if (y.ndim === 2) {
    const batch = x.shape.slice(0, -2);
    return reshape(mm(reshape(x, [-1, k1]), y), [...batch, m, n]);
  }
  const batch = broadcastShapes('matmul', x.shape.slice(0, -2), y.shape.slice(0, -2));
  const nb = sizeOf(batch);
  const xb = reshape(broadcastTo(x, [...batch, m, k1]), [nb, m, k1]);
  const yb = reshape(broadcastTo(y, [...batch, k1, n]), [nb, k1, n]);
  return reshape(mm(xb, yb), [...batch, m, n]);
}

export const matmulOps: readonly OpDef<any>[] = [mmOp];
