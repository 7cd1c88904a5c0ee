import type { Tensor } from '../tensor.js';
import { check, fmtShape } from '../check.js';
import type { DType } from '../dtype.js';
import { zeros } from '../creation.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { kaimingUniform, uniform } from './init.js';
import { linearWithActivation } from './functional/linear.js';
import type { EpilogueActivation } from './activations.js';
import { asTensor } from '../ops/util.js';

export interface LinearOptions {
  bias?: boolean;
  dtype?: DType;
}

/**
 * y = x Wᵀ + b with `weight` [out, in] and `bias` [out], initialised as PyTorch does
 * (kaiming uniform with a = sqrt(5), bias U(±1/sqrt(in))): `new my.nn.Linear(784, 512)`.
 */
export class Linear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(readonly inFeatures: number, readonly outFeatures: number, opts: LinearOptions = {}) {
    super();
    check(Number.isInteger(inFeatures) && inFeatures > 0 && Number.isInteger(outFeatures) && outFeatures > 0, () =>
      `Linear: inFeatures and outFeatures must be positive integers, got ${inFeatures} and ${outFeatures}`);
    const dtype = opts.dtype ?? 'float32';
    this.weight = new Parameter(kaimingUniform(zeros([outFeatures, inFeatures], { dtype }), { a: Math.sqrt(5) }));
    const bound = 1 / Math.sqrt(inFeatures);
    this.bias = opts.bias === false ? null : new Parameter(uniform(zeros([outFeatures], { dtype }), -bound, bound));
  }

  forward(input: Tensor): Tensor {
    return this.forwardWithActivation(input, { activation: 'identity', param: 0 });
  }

  /** act(x Wᵀ + b) as one fused op; Sequential calls it for a Linear followed by an activation. */
  forwardWithActivation(input: Tensor, { activation, param }: EpilogueActivation): Tensor {
    const x = asTensor('Linear', input);
    check(x.ndim >= 1 && x.shape[x.ndim - 1] === this.inFeatures, () =>
      `Linear(${this.inFeatures}, ${this.outFeatures}): input ${fmtShape(x.shape)} ${x.dtype} must end in ${this.inFeatures} features`);
    return linearWithActivation(x, this.weight, this.bias, activation, param);
  }
}
