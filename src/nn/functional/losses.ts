import type { Tensor } from '../../tensor.js';
import { check, fmtShape } from '../../check.js';
import { abs, add, log, lt, maximum, mul, neg, square, sub, where } from '../../ops/elementwise.js';
import { reshape } from '../../ops/shape.js';
import { activation } from '../../ops/activation.js';
import { asTensor } from '../../ops/util.js';
import { numberOption } from './activations.js';
import { pairOfSameShape, reduceLoss, type LossOptions } from './reduction.js';

/** Mean squared error: `F.mseLoss(pred, target)`. */
export function mseLoss(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  const [x, y] = pairOfSameShape('mseLoss', input, target);
  return reduceLoss('mseLoss', square(sub(x, y)), opts.reduction);
}

/** ½d² for |d| < delta, else delta(|d| - ½delta), d = input - target (default delta 1): `F.huberLoss(p, t, { delta: 0.5 })`. */
export function huberLoss(input: Tensor, target: Tensor, opts: LossOptions & { delta?: number } = {}): Tensor {
  const [x, y] = pairOfSameShape('huberLoss', input, target);
  const delta = numberOption('huberLoss', 'delta', opts.delta, 1);
  check(delta > 0, () => `huberLoss: delta must be > 0, got ${delta}`);
  const d = sub(x, y), ad = abs(d);
  return reduceLoss('huberLoss', where(lt(ad, delta), mul(square(d), 0.5), mul(sub(ad, 0.5 * delta), delta)), opts.reduction);
}

/**
 * -(y log p + (1 - y) log(1 - p)) for probabilities p in [0, 1], each log clamped at -100
 * as PyTorch does (so p = 0 or 1 gives a finite loss): `F.binaryCrossEntropy(p, y)`.
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  const [p, y] = pairOfSameShape('binaryCrossEntropy', input, target);
  const data = p.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    check(v >= 0 && v <= 1, () => `binaryCrossEntropy: input must hold probabilities in [0, 1], got ${v} at position ${i}`);
  }
  const logP = maximum(log(p), -100), log1mP = maximum(log(sub(1, p)), -100);
  return reduceLoss('binaryCrossEntropy', neg(add(mul(y, logP), mul(sub(1, y), log1mP))), opts.reduction);
}

export interface BCEWithLogitsOptions extends LossOptions {
  /** Weight of the positive term, broadcast over the last dim (one per class). */
  posWeight?: Tensor;
}

/**
 * Binary cross-entropy of logits, (1 - y)x + (1 + (w - 1)y)·softplus(-x) with the stable
 * softplus kernel (no log of a rounded sigmoid): `F.bceWithLogits(logits, y, { posWeight })`.
 */
export function bceWithLogits(input: Tensor, target: Tensor, opts: BCEWithLogitsOptions = {}): Tensor {
  const [x, y] = pairOfSameShape('bceWithLogits', input, target);
  const softNeg = activation(neg(x), 'softplus');
  let weight: Tensor | number = 1;
  if (opts.posWeight !== undefined) {
    const pw = asTensor('bceWithLogits', opts.posWeight, 'posWeight');
    check(pw.ndim <= 1 && (pw.size === 1 || (x.ndim > 0 && pw.size === x.shape[x.ndim - 1])), () =>
      `bceWithLogits: posWeight ${fmtShape(pw.shape)} must have 1 or ${x.shape[x.ndim - 1]} elements (input ${fmtShape(x.shape)})`);
    weight = add(mul(y, sub(reshape(pw, [pw.size]), 1)), 1);
  }
  return reduceLoss('bceWithLogits', add(mul(sub(1, y), x), mul(softNeg, weight)), opts.reduction);
}
