import type { Tensor } from '../tensor.js';
import { check } from '../check.js';
import { Module } from './module.js';

/**
 * Modules applied in order; state-dict keys are `"0.weight"`, `"0.bias"`, … as in PyTorch:
 * `new my.nn.Sequential(new Linear(64, 32), new ReLU(), new Linear(32, 10))`.
 */
export class Sequential extends Module {
  [index: number]: Module;
  readonly length: number;

  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => {
      check(m instanceof Module, () => `Sequential: argument ${i} is not a Module (got ${m === null ? 'null' : typeof m})`);
      this[i] = m;
    });
    this.length = modules.length;
  }

  forward(x: Tensor): Tensor {
    let y = x;
    for (let i = 0; i < this.length; i++) y = this[i].forward(y);
    return y;
  }
}
