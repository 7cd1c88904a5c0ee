import type { Tensor } from '../tensor.js';
import { check } from '../check.js';
import { Module } from './module.js';
import { Linear } from './linear.js';
import { isFusable } from './activations.js';

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

  /**
   * Applies the modules in order. A Linear followed by an activation its GEMM epilogue
   * knows (ReLU, LeakyReLU, ELU, GELU, SiLU, Sigmoid, Tanh) runs as one fused op; the
   * result, gradients and state-dict keys are those of the two modules run apart.
   */
  forward(x: Tensor): Tensor {
    let y = x;
    for (let i = 0; i < this.length; i++) {
      const m = this[i], next = i + 1 < this.length ? this[i + 1] : null;
      const epilogue = m instanceof Linear && next !== null && isFusable(next) ? next.epilogue() : null;
      if (epilogue !== null) {
        y = (m as Linear).forwardWithActivation(y, epilogue);
        i++;
      } else {
        y = m.forward(y);
      }
    }
    return y;
  }
}
