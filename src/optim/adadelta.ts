import type { Tensor } from '../tensor.js';
import type { Storage } from '../dtype.js';
import { Optimizer, type ParamState, type ParamsInput } from './optimizer.js';
import { checkFlag, checkOption, checkRange } from './options.js';

export interface AdadeltaOptions {
  lr?: number;
  rho?: number;
  eps?: number;
  weightDecay?: number;
  maximize?: boolean;
}

type Resolved = Required<AdadeltaOptions>;

/**
 * One Adadelta update of one parameter array, PyTorch 1.13's rule: s = ρs + (1-ρ)g²,
 * Δ = √(u + eps)/√(s + eps) · g, u = ρu + (1-ρ)Δ², w -= lr·Δ.
 */
export function adadeltaUpdate(w: Storage, g: Storage, sq: Storage, acc: Storage, o: Resolved): void {
  const { lr, rho, eps, weightDecay } = o;
  const sign = o.maximize ? -1 : 1;
  const n = w.length;
  for (let i = 0; i < n; i++) {
    const gi = sign * g[i] + weightDecay * w[i];
    const s = (sq[i] = rho * sq[i] + (1 - rho) * gi * gi);
    const delta = (Math.sqrt(acc[i] + eps) / Math.sqrt(s + eps)) * gi;
    acc[i] = rho * acc[i] + (1 - rho) * delta * delta;
    w[i] -= lr * delta;
  }
}

/** Adadelta with PyTorch's defaults (lr 1.0, rho 0.9, eps 1e-6): `new my.optim.Adadelta(model.parameters())`. */
export class Adadelta extends Optimizer<Resolved> {
  constructor(params: ParamsInput, opts: AdadeltaOptions = {}) {
    const defaults: Resolved = { lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false };
    super('Adadelta', params, defaults, opts, (o, where) => {
      checkOption(`Adadelta: ${where}: lr`, o.lr);
      checkRange(`Adadelta: ${where}: rho`, o.rho, 0, 1, true);
      checkOption(`Adadelta: ${where}: eps`, o.eps);
      checkOption(`Adadelta: ${where}: weightDecay`, o.weightDecay);
      checkFlag(`Adadelta: ${where}: maximize`, o.maximize);
    });
  }

  protected update(w: Storage, g: Storage, state: ParamState, o: Resolved, p: Tensor): void {
    state.step = ((state.step as number | undefined) ?? 0) + 1;
    adadeltaUpdate(w, g, this.buffer(state, 'squareAvg', p), this.buffer(state, 'accDelta', p), o);
  }
}
