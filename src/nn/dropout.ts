import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { checkDropoutP, dropout } from './functional/dropout.js';

/** Inverted dropout with probability p in [0, 1) (default 0.5); the identity in `eval()`: `new my.nn.Dropout(0.2)`. */
export class Dropout extends Module {
  readonly p: number;
  constructor(p = 0.5) {
    super();
    this.p = checkDropoutP('Dropout', p);
  }
  forward(x: Tensor): Tensor {
    return dropout(x, { p: this.p, training: this.training });
  }
}
