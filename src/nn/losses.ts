import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import * as F from './functional/index.js';

/** A loss module: `forward(input, target)` is the functional loss with the module's options. */
abstract class LossModule<O extends F.LossOptions, T = Tensor> extends Module {
  constructor(readonly options: O = {} as O) {
    super();
  }
  protected abstract fn(input: Tensor, target: T, options: O): Tensor;
  forward(input: Tensor, target: T): Tensor {
    return this.fn(input, target, this.options);
  }
}

type HuberOptions = F.LossOptions & { delta?: number };

/** `new my.nn.MSELoss({ reduction: 'sum' })`. */
export class MSELoss extends LossModule<F.LossOptions> {
  protected fn(x: Tensor, y: Tensor, o: F.LossOptions): Tensor { return F.mseLoss(x, y, o); }
}
/** Cross-entropy of logits against class indices or probabilities: `new my.nn.CrossEntropyLoss()`. */
export class CrossEntropyLoss extends LossModule<F.CrossEntropyOptions, F.ClassTarget> {
  protected fn(x: Tensor, y: F.ClassTarget, o: F.CrossEntropyOptions): Tensor { return F.crossEntropy(x, y, o); }
}
export class NLLLoss extends LossModule<F.LossOptions, F.ClassTarget> {
  protected fn(x: Tensor, y: F.ClassTarget, o: F.LossOptions): Tensor { return F.nllLoss(x, y, o); }
}
export class BCELoss extends LossModule<F.LossOptions> {
  protected fn(x: Tensor, y: Tensor, o: F.LossOptions): Tensor { return F.binaryCrossEntropy(x, y, o); }
}
/** `new my.nn.BCEWithLogitsLoss({ posWeight })`. */
export class BCEWithLogitsLoss extends LossModule<F.BCEWithLogitsOptions> {
  protected fn(x: Tensor, y: Tensor, o: F.BCEWithLogitsOptions): Tensor { return F.bceWithLogits(x, y, o); }
}
/** `new my.nn.HuberLoss({ delta: 1 })`. */
export class HuberLoss extends LossModule<HuberOptions> {
  protected fn(x: Tensor, y: Tensor, o: HuberOptions): Tensor { return F.huberLoss(x, y, o); }
}

/** `new my.nn.CosineEmbeddingLoss({ margin: 0.5 })`; forward(a, b, y) with y in {1, -1}. */
export class CosineEmbeddingLoss extends Module {
  constructor(readonly options: F.LossOptions & { margin?: number } = {}) {
    super();
  }
  forward(a: Tensor, b: Tensor, target: F.ClassTarget): Tensor {
    return F.cosineEmbeddingLoss(a, b, target, this.options);
  }
}
