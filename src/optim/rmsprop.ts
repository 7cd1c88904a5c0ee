import type { Tensor } from '../tensor.js';
import type { Storage } from '../dtype.js';
import { Optimizer, type ParamState, type ParamsInput } from './optimizer.js';
import { checkFlag, checkOption } from './options.js';

export interface RMSpropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
  maximize?: boolean;
}

type Resolved = Required<RMSpropOptions>;

/**
 * One RMSprop update of one parameter array, PyTorch 1.13's rule: s = αs + (1-α)g²;
 * centered subtracts the squared running mean a = αa + (1-α)g; the step is g/(√s' + eps),
 * through a momentum buffer b = μb + step when `buf` is non-null.
 */
export function rmspropUpdate(w: Storage, g: Storage, sq: Storage, avg: Storage | null, buf: Storage | null, o: Resolved): void {
  const { lr, alpha, eps, weightDecay, momentum } = o;
  const sign = o.maximize ? -1 : 1;
  const n = w.length;
  for (let i = 0; i < n; i++) {
    const gi = sign * g[i] + weightDecay * w[i];
    let s = (sq[i] = alpha * sq[i] + (1 - alpha) * gi * gi);
    if (avg !== null) {
      const a = (avg[i] = alpha * avg[i] + (1 - alpha) * gi);
      s -= a * a;
    }
    // eps goes outside the square root, as in PyTorch (TensorFlow puts it inside).
    const d = gi / (Math.sqrt(s) + eps);
    if (buf !== null) w[i] -= lr * (buf[i] = momentum * buf[i] + d);
    else w[i] -= lr * d;
  }
}

/** RMSprop with PyTorch's defaults (lr 1e-2, alpha 0.99): `new my.optim.RMSprop(params, { lr: 1e-3, centered: true })`. */
export class RMSprop extends Optimizer<Resolved> {
  constructor(params: ParamsInput, opts: RMSpropOptions = {}) {
    const defaults: Resolved = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false };
    super('RMSprop', params, defaults, opts, (o, where) => {
      checkOption(`RMSprop: ${where}: lr`, o.lr);
      checkOption(`RMSprop: ${where}: alpha`, o.alpha);
      checkOption(`RMSprop: ${where}: eps`, o.eps);
      checkOption(`RMSprop: ${where}: weightDecay`, o.weightDecay);
      checkOption(`RMSprop: ${where}: momentum`, o.momentum);
      checkFlag(`RMSprop: ${where}: centered`, o.centered);
      checkFlag(`RMSprop: ${where}: maximize`, o.maximize);
    });
  }

  protected update(w: Storage, g: Storage, state: ParamState, o: Resolved, p: Tensor): void {
    state.step = ((state.step as number | undefined) ?? 0) + 1;
    const sq = this.buffer(state, 'squareAvg', p);
    const avg = o.centered ? this.buffer(state, 'gradAvg', p) : null;
    const buf = o.momentum > 0 ? this.buffer(state, 'momentumBuffer', p) : null;
    rmspropUpdate(w, g, sq, avg, buf, o);
  }
}
