import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import * as F from './functional/index.js';

/** Cross-entropy of logits against class indices or probabilities, as a module. */
export class CrossEntropyLoss extends Module {
  constructor(readonly opts: F.LossOptions = {}) {
    super();
  }
  forward(input: Tensor, target: F.ClassTarget): Tensor {
    return F.crossEntropy(input, target, this.opts);
  }
}

export class MSELoss extends Module {
  constructor(readonly opts: F.LossOptions = {}) {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, this.opts);
  }
}
