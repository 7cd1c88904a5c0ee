import { Tensor } from '../tensor.js';
import { check } from '../check.js';

/**
 * Rescales the gradients of `params` in place so their joint `normType`-norm is at most
 * `maxNorm`, as torch.nn.utils.clip_grad_norm_ does, and returns the norm before clipping:
 * `const norm = my.optim.clipGradNorm(model.parameters(), 1.0)`.
 */
export function clipGradNorm(
  params: Iterable<Tensor>, maxNorm: number, normType = 2, opts: { errorIfNonfinite?: boolean } = {},
): number {
  check(params !== null && typeof params === 'object' && Symbol.iterator in params, () =>
    `clipGradNorm: params must be an iterable of Tensors, got ${String(params)}`);
  check(typeof maxNorm === 'number' && maxNorm >= 0 && !Number.isNaN(maxNorm), () =>
    `clipGradNorm: maxNorm must be a number >= 0, got ${String(maxNorm)}`);
  check(typeof normType === 'number' && normType > 0 && !Number.isNaN(normType), () =>
    `clipGradNorm: normType must be a positive number or Infinity, got ${String(normType)}`);
  const grads: Tensor[] = [];
  for (const p of params) {
    check(p instanceof Tensor, () => `clipGradNorm: expected Tensors, got ${p === null ? 'null' : typeof p}`);
    if (p._grad !== null) grads.push(p._grad);
  }
  if (grads.length === 0) return 0;
  const total = jointNorm(grads, normType);
  check(!opts.errorIfNonfinite || Number.isFinite(total), () =>
    `clipGradNorm: the total norm of order ${normType} of the gradients is ${total}; set errorIfNonfinite: false to clip anyway`);
  // PyTorch's 1e-6 keeps the coefficient finite for zero gradients; it never scales up.
  const coef = maxNorm / (total + 1e-6);
  if (coef < 1) {
    for (const g of grads) {
      const d = g.data;
      for (let i = 0; i < d.length; i++) d[i] *= coef;
      g._bumpVersion();
    }
  }
  return total;
}

/** (Σ |g|^p)^(1/p) over every element of every gradient, in float64; max |g| for p = Infinity. */
function jointNorm(grads: Tensor[], p: number): number {
  if (p === Infinity) {
    let m = 0;
    for (const g of grads) for (const v of g.data) m = Math.max(m, Math.abs(v));
    return m;
  }
  // Scaling by the largest |g| avoids overflow of |g|^p for large p or large gradients.
  let scale = 0;
  for (const g of grads) for (const v of g.data) scale = Math.max(scale, Math.abs(v));
  if (scale === 0 || !Number.isFinite(scale)) return scale === 0 ? 0 : jointNormUnscaled(grads, p);
  let s = 0;
  for (const g of grads) for (const v of g.data) s += Math.abs(v / scale) ** p;
  return scale * s ** (1 / p);
}

/** The plain sum, so infinities and NaNs come out as PyTorch reports them. */
function jointNormUnscaled(grads: Tensor[], p: number): number {
  let s = 0;
  for (const g of grads) for (const v of g.data) s += Math.abs(v) ** p;
  return s ** (1 / p);
}
