import type { Tensor } from '../tensor.js';
import type { Storage } from '../dtype.js';
import { Optimizer, type ParamState, type ParamsInput } from './optimizer.js';
import { checkFlag, checkOption } from './options.js';

export interface AdagradOptions {
  lr?: number;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
  maximize?: boolean;
}

type Resolved = Required<AdagradOptions>;

/**
 * One Adagrad update of one parameter array at step `step` (1-based), PyTorch 1.13's rule:
 * S += g², w -= lr/(1 + (t-1)·lrDecay) · g/(√S + eps).
 */
export function adagradUpdate(w: Storage, g: Storage, sum: Storage, step: number, o: Resolved): void {
  const { eps, weightDecay } = o;
  const sign = o.maximize ? -1 : 1;
  const clr = o.lr / (1 + (step - 1) * o.lrDecay);
  const n = w.length;
  for (let i = 0; i < n; i++) {
    const gi = sign * g[i] + weightDecay * w[i];
    const s = (sum[i] += gi * gi);
    w[i] -= (clr * gi) / (Math.sqrt(s) + eps);
  }
}

/** Adagrad with PyTorch's defaults (lr 1e-2, eps 1e-10): `new my.optim.Adagrad(params, { lr: 0.1, lrDecay: 1e-3 })`. */
export class Adagrad extends Optimizer<Resolved> {
  constructor(params: ParamsInput, opts: AdagradOptions = {}) {
    const defaults: Resolved = { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false };
    super('Adagrad', params, defaults, opts, (o, where) => {
      checkOption(`Adagrad: ${where}: lr`, o.lr);
      checkOption(`Adagrad: ${where}: lrDecay`, o.lrDecay);
      checkOption(`Adagrad: ${where}: weightDecay`, o.weightDecay);
      checkOption(`Adagrad: ${where}: initialAccumulatorValue`, o.initialAccumulatorValue);
      checkOption(`Adagrad: ${where}: eps`, o.eps);
      checkFlag(`Adagrad: ${where}: maximize`, o.maximize);
    });
    // PyTorch creates the accumulator in the constructor, so a state dict taken before the
    // first step already holds it.
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const state: ParamState = { step: 0 };
        this.buffer(state, 'sum', p, group.options.initialAccumulatorValue);
        this.state.set(p, state);
      }
    }
  }

  protected update(w: Storage, g: Storage, state: ParamState, o: Resolved, p: Tensor): void {
    const step = (state.step = ((state.step as number | undefined) ?? 0) + 1);
    adagradUpdate(w, g, this.buffer(state, 'sum', p, o.initialAccumulatorValue), step, o);
  }
}
