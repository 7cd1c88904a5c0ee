import type { Tensor } from '../tensor.js';
import { check, fmtShape } from '../check.js';
import { max } from '../ops/reduce.js';
import { reshape } from '../ops/shape.js';
import { Module } from './module.js';
import { Linear, type LinearOptions } from './linear.js';

/**
 * max over k affine pieces, max_j (W_j x + b_j) (Goodfellow et al. 2013), one Linear of
 * outFeatures·k outputs grouped k at a time: `new my.nn.Maxout(64, 32, 4)`.
 */
export class Maxout extends Module {
  readonly linear: Linear;
  constructor(readonly inFeatures: number, readonly outFeatures: number, readonly k: number, opts: LinearOptions = {}) {
    super();
    check(Number.isInteger(k) && k > 0, () => `Maxout: k must be a positive integer, got ${k}`);
    check(Number.isInteger(outFeatures) && outFeatures > 0, () => `Maxout: outFeatures must be a positive integer, got ${outFeatures}`);
    this.linear = new Linear(inFeatures, outFeatures * k, opts);
  }
  forward(x: Tensor): Tensor {
    check(x.ndim >= 1 && x.shape[x.ndim - 1] === this.inFeatures, () =>
      `Maxout(${this.inFeatures}, ${this.outFeatures}, ${this.k}): input ${fmtShape(x.shape)} must end in ${this.inFeatures} features`);
    const y = this.linear.forward(x);
    // Output unit j takes the max of pieces j·k .. j·k + k - 1.
    return max(reshape(y, [...y.shape.slice(0, -1), this.outFeatures, this.k]), -1);
  }
}
