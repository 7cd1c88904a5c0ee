import type { Tensor } from '../../tensor.js';
import { check, fmtShape } from '../../check.js';
import { sameShape } from '../../shape.js';
import { mean, sum } from '../../ops/reduce.js';
import { asTensor } from '../../ops/util.js';

export type Reduction = 'mean' | 'sum' | 'none';

export interface LossOptions {
  reduction?: Reduction;
}

/** Applies a loss's `reduction` (default 'mean') to its per-element values. */
export function reduceLoss(op: string, loss: Tensor, reduction: Reduction | undefined): Tensor {
  switch (reduction ?? 'mean') {
    case 'mean': return mean(loss);
    case 'sum': return sum(loss);
    case 'none': return loss;
    default: throw new Error(`${op}: reduction must be 'mean', 'sum' or 'none', got '${String(reduction)}'`);
  }
}

/** Input and target of a pointwise loss, checked to be Tensors of one shape. */
export function pairOfSameShape(op: string, input: unknown, target: unknown): [Tensor, Tensor] {
  const x = asTensor(op, input), y = asTensor(op, target, 'target');
  check(sameShape(x.shape, y.shape), () =>
    `${op}: input ${fmtShape(x.shape)} and target ${fmtShape(y.shape)} must have the same shape`);
  return [x, y];
}
