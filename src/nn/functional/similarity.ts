import { Tensor } from '../../tensor.js';
import { check, fmtShape } from '../../check.js';
import { broadcastShapes, normalizeDim } from '../../shape.js';
import { div, eq, maximum, mul, sqrt, square, sub, where } from '../../ops/elementwise.js';
import { sum } from '../../ops/reduce.js';
import { asTensor } from '../../ops/util.js';
import { numberOption } from './activations.js';
import { reduceLoss, type LossOptions } from './reduction.js';
import type { ClassTarget } from './classification.js';

/**
 * a·b / (max(‖a‖, eps)·max(‖b‖, eps)) along `dim` (default 1, eps 1e-8), broadcasting:
 * `F.cosineSimilarity(a, b, { dim: 1 })`. Norms are clamped before the square root, so
 * zero vectors give 0 with finite gradients.
 */
export function cosineSimilarity(a: Tensor, b: Tensor, opts: { dim?: number; eps?: number } = {}): Tensor {
  const x = asTensor('cosineSimilarity', a), y = asTensor('cosineSimilarity', b, 'other');
  const shape = broadcastShapes('cosineSimilarity', x.shape, y.shape);
  const dim = normalizeDim('cosineSimilarity', opts.dim ?? 1, shape.length, shape);
  const eps = numberOption('cosineSimilarity', 'eps', opts.eps, 1e-8);
  const norm = (t: Tensor) => sqrt(maximum(sum(square(t), dim), eps * eps));
  return div(sum(mul(x, y), dim), mul(norm(x), norm(y)));
}

/**
 * 1 - cos(a, b) where y = 1, max(0, cos(a, b) - margin) where y = -1, for a, b [n, d] and
 * y of n values in {1, -1} (default margin 0): `F.cosineEmbeddingLoss(a, b, [1, -1])`.
 */
export function cosineEmbeddingLoss(a: Tensor, b: Tensor, target: ClassTarget, opts: LossOptions & { margin?: number } = {}): Tensor {
  const x = asTensor('cosineEmbeddingLoss', a), y = asTensor('cosineEmbeddingLoss', b, 'other');
  check(x.ndim === 2 && y.ndim === 2 && x.shape[0] === y.shape[0] && x.shape[1] === y.shape[1], () =>
    `cosineEmbeddingLoss: inputs must be two [batch, features] tensors of one shape, got ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
  const margin = numberOption('cosineEmbeddingLoss', 'margin', opts.margin, 0);
  const n = x.shape[0];
  const raw: ArrayLike<number> = target instanceof Tensor ? target.data : (target as ArrayLike<number>);
  check(target instanceof Tensor ? target.ndim === 1 : Array.isArray(target) || target instanceof Int32Array, () =>
    `cosineEmbeddingLoss: target must be a 1-D Tensor, an Int32Array or a number[]`);
  check(raw.length === n, () => `cosineEmbeddingLoss: ${raw.length} targets for a batch of ${n}`);
  const positive = new Tensor(new Float64Array(n), [n]);
  for (let i = 0; i < n; i++) {
    check(raw[i] === 1 || raw[i] === -1, () => `cosineEmbeddingLoss: target ${raw[i]} at position ${i} must be 1 or -1`);
    positive.data[i] = raw[i] === 1 ? 1 : 0;
  }
  const cos = cosineSimilarity(x, y, { dim: 1 });
  const loss = where(eq(positive, 1), sub(1, cos), maximum(sub(cos, margin), 0));
  return reduceLoss('cosineEmbeddingLoss', loss, opts.reduction);
}
