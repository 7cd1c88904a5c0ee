import { Tensor } from '../../tensor.js';
import { check, fmtShape } from '../../check.js';
import { mul, neg, square, sub } from '../../ops/elementwise.js';
import { mean, sum } from '../../ops/reduce.js';
import { gather, reshape } from '../../ops/shape.js';
import { asTensor } from '../../ops/util.js';
import { allocate } from '../../dtype.js';
import { sameShape } from '../../shape.js';
import { logSoftmax } from './activations.js';

export type Reduction = 'mean' | 'sum' | 'none';

export interface LossOptions {
  reduction?: Reduction;
}

/** Class indices in any of the accepted forms. */
export type ClassTarget = Tensor | Int32Array | readonly number[];

function reduce(op: string, loss: Tensor, reduction: Reduction | undefined): Tensor {
  switch (reduction ?? 'mean') {
    case 'mean': return mean(loss);
    case 'sum': return sum(loss);
    case 'none': return loss;
    default: throw new Error(`${op}: reduction must be 'mean', 'sum' or 'none', got '${String(reduction)}'`);
  }
}

/** Validates class indices against `classes` and returns them as an [n, 1] index tensor. */
export function classIndex(op: string, target: ClassTarget, n: number, classes: number): Tensor {
  const values: ArrayLike<number> = target instanceof Tensor ? target.data : target;
  check(target instanceof Tensor ? target.ndim === 1 : Array.isArray(target) || target instanceof Int32Array, () =>
    `${op}: class indices must be a 1-D Tensor, an Int32Array or a number[], got ${target instanceof Tensor ? `Tensor ${fmtShape(target.shape)}` : typeof target}`);
  check(values.length === n, () => `${op}: ${values.length} targets for a batch of ${n}`);
  const idx = allocate('float64', n);
  for (let i = 0; i < n; i++) {
    const c = values[i];
    check(Number.isInteger(c) && c >= 0 && c < classes, () => `${op}: target ${c} at position ${i} is out of range for ${classes} classes`);
    idx[i] = c;
  }
  return new Tensor(idx, [n, 1]);
}

/**
 * The negative log-likelihood of class indices given log-probabilities [n, C]:
 * `F.nllLoss(logp, [0, 2])`.
 */
export function nllLoss(input: Tensor, target: ClassTarget, opts: LossOptions = {}): Tensor {
  const logp = asTensor('nllLoss', input);
  check(logp.ndim === 2, () => `nllLoss: input must be [batch, classes], got ${fmtShape(logp.shape)}`);
  const idx = classIndex('nllLoss', target, logp.shape[0], logp.shape[1]);
  return reduce('nllLoss', neg(reshape(gather(logp, 1, idx), [-1])), opts.reduction);
}

/**
 * Cross-entropy of logits [n, C] against class indices (or class probabilities [n, C]):
 * `F.crossEntropy(logits, labels)`.
 */
export function crossEntropy(input: Tensor, target: ClassTarget, opts: LossOptions = {}): Tensor {
  const logits = asTensor('crossEntropy', input);
  check(logits.ndim === 2, () => `crossEntropy: input must be [batch, classes], got ${fmtShape(logits.shape)}`);
  const logp = logSoftmax(logits, { dim: 1 });
  if (target instanceof Tensor && target.ndim === 2) {
    check(sameShape(target.shape, logits.shape), () =>
      `crossEntropy: probability targets ${fmtShape(target.shape)} must match the logits ${fmtShape(logits.shape)}`);
    return reduce('crossEntropy', neg(sum(mul(target, logp), 1)), opts.reduction);
  }
  return nllLoss(logp, target, opts);
}

/** Mean squared error: `F.mseLoss(pred, target)`. */
export function mseLoss(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  const x = asTensor('mseLoss', input), y = asTensor('mseLoss', target, 'target');
  check(sameShape(x.shape, y.shape), () => `mseLoss: input ${fmtShape(x.shape)} and target ${fmtShape(y.shape)} differ`);
  return reduce('mseLoss', square(sub(x, y)), opts.reduction);
}
