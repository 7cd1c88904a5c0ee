import { Tensor } from '../tensor.js';
import { asTensor } from '../ops/util.js';

/** A tensor a Module owns and an optimizer updates; it requires grad by default. */
export class Parameter extends Tensor {
  constructor(t: Tensor, requiresGrad = true) {
    const src = asTensor('Parameter', t);
    super(src.data, src.shape, src._version);
    this.requiresGrad = requiresGrad;
  }
}
