import { Tensor } from '../../tensor.js';
import { check, fmtShape } from '../../check.js';
import { add, mul, neg } from '../../ops/elementwise.js';
import { mean, sum } from '../../ops/reduce.js';
import { reshape } from '../../ops/shape.js';
import { gather } from '../../ops/indexing.js';
import { softmaxCrossEntropy } from '../../ops/fused.js';
import { asTensor, describe } from '../../ops/util.js';
import { sameShape } from '../../shape.js';
import { logSoftmax, numberOption } from './activations.js';
import { reduceLoss, type LossOptions } from './reduction.js';

/** Class indices in any of the accepted forms. */
export type ClassTarget = Tensor | Int32Array | readonly number[];

/** Validates class indices (a batch of `n`, each in [0, classes)) into an Int32Array. */
export function classIndices(op: string, target: ClassTarget, n: number, classes: number): Int32Array {
  const isTensor = target instanceof Tensor;
  check(isTensor ? target.ndim === 1 : Array.isArray(target) || target instanceof Int32Array, () =>
    `${op}: class indices must be a 1-D Tensor, an Int32Array or a number[], got ${isTensor ? `Tensor ${fmtShape(target.shape)}` : describe(target)}`);
  const values: ArrayLike<number> = isTensor ? target.data : (target as ArrayLike<number>);
  check(values.length === n, () => `${op}: ${values.length} targets for a batch of ${n} (labels and batch sizes differ)`);
  const out = new Int32Array(n);
  // Plain loop, no closure per element: this runs on every training batch.
  for (let i = 0; i < n; i++) {
    const c = values[i];
    if (!(Number.isInteger(c) && c >= 0 && c < classes)) {
      throw new Error(`${op}: target ${c} at position ${i} is out of range for ${classes} classes (expected an integer in [0, ${classes - 1}])`);
    }
    out[i] = c;
  }
  return out;
}

function checkBatchByClasses(op: string, x: Tensor): void {
  check(x.ndim === 2, () => `${op}: input must be [batch, classes], got ${fmtShape(x.shape)} ${x.dtype}`);
}

/**
 * The negative log-likelihood of class indices given log-probabilities [n, C]:
 * `F.nllLoss(logp, [0, 2])`.
 */
export function nllLoss(input: Tensor, target: ClassTarget, opts: LossOptions = {}): Tensor {
  const logp = asTensor('nllLoss', input);
  checkBatchByClasses('nllLoss', logp);
  const idx = classIndices('nllLoss', target, logp.shape[0], logp.shape[1]);
  const index = new Tensor(Float64Array.from(idx), [idx.length, 1]);
  return reduceLoss('nllLoss', neg(reshape(gather(logp, 1, index), [-1])), opts.reduction);
}

export interface CrossEntropyOptions extends LossOptions {
  /** ε in [0, 1]: the target becomes (1 - ε)·target + ε/C, as in PyTorch. */
  labelSmoothing?: number;
}

/**
 * Cross-entropy of logits [n, C] against class indices (number[], Int32Array or a 1-D
 * integer-valued Tensor) or class probabilities (a Tensor [n, C]): `F.crossEntropy(logits, labels)`.
 * Class indices run through the fused softmax-cross-entropy kernel.
 */
export function crossEntropy(input: Tensor, target: ClassTarget, opts: CrossEntropyOptions = {}): Tensor {
  const logits = asTensor('crossEntropy', input);
  checkBatchByClasses('crossEntropy', logits);
  const eps = numberOption('crossEntropy', 'labelSmoothing', opts.labelSmoothing, 0);
  check(eps >= 0 && eps <= 1, () => `crossEntropy: labelSmoothing must be in [0, 1], got ${eps}`);
  const classes = logits.shape[1];
  if (target instanceof Tensor && target.ndim === 2) {
    check(sameShape(target.shape, logits.shape), () =>
      `crossEntropy: probability targets ${fmtShape(target.shape)} must match the logits ${fmtShape(logits.shape)}`);
    const p = eps === 0 ? target : add(mul(target, 1 - eps), eps / classes);
    return reduceLoss('crossEntropy', neg(sum(mul(p, logSoftmax(logits, { dim: 1 })), 1)), opts.reduction);
  }
  const idx = classIndices('crossEntropy', target, logits.shape[0], classes);
  const nll = softmaxCrossEntropy(logits, idx);
  if (eps === 0) return reduceLoss('crossEntropy', nll, opts.reduction);
  // (1 - ε)·nll + ε·mean_c(-log p_c), PyTorch's label smoothing for class indices.
  const smooth = neg(mean(logSoftmax(logits, { dim: 1 }), 1));
  return reduceLoss('crossEntropy', add(mul(nll, 1 - eps), mul(smooth, eps)), opts.reduction);
}
