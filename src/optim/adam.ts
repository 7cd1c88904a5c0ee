import type { Tensor } from '../tensor.js';
import type { Storage } from '../dtype.js';
import { check } from '../check.js';
import { getBackend } from '../backend/index.js';
import type { AdamCoefficients } from '../backend/backend.js';
import { Optimizer, type ParamState, type ParamsInput } from './optimizer.js';
import { checkFlag, checkOption, checkRange } from './options.js';
import { UpdateBatches } from './batch.js';

export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
}

type Resolved = Required<AdamOptions>;

/**
 * One Adam update of one parameter array at step `step` (1-based), PyTorch 1.13's rule:
 * m = β1m + (1-β1)g, v = β2v + (1-β2)g², w -= lr/(1-β1^t) · m / (√v̂/√(1-β2^t) + eps), with
 * v̂ = max over steps of v under amsgrad (`vmax` non-null). `decoupled` is AdamW: the weight
 * decay shrinks w by (1 - lr·wd) instead of adding wd·w to the gradient. The loop runs in
 * the backend (native: vectorised for the CPU's ISA).
 */
export function adamUpdate(
  w: Storage, g: Storage, m: Storage, v: Storage, vmax: Storage | null, step: number, o: Resolved, decoupled: boolean,
): void {
  getBackend().adamUpdate(w, g, m, v, vmax, adamCoefficients(step, o, decoupled));
}

/** The kernel's coefficients at step `step` (1-based): the same for every parameter of a group. */
function adamCoefficients(step: number, o: Resolved, decoupled: boolean): AdamCoefficients {
  const [beta1, beta2] = o.betas;
  return {
    stepSize: o.lr / (1 - beta1 ** step),
    bc2Sqrt: Math.sqrt(1 - beta2 ** step),
    beta1,
    beta2,
    eps: o.eps,
    l2: decoupled ? 0 : o.weightDecay,
    shrink: decoupled ? 1 - o.lr * o.weightDecay : 1,
    sign: o.maximize ? -1 : 1,
  };
}

/** Inputs the coefficients were computed from, to reuse them for the next parameter of the step. */
interface CoefficientKey {
  step: number;
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

function sameKey(k: CoefficientKey, step: number, o: Resolved): boolean {
  return k.step === step && k.lr === o.lr && k.beta1 === o.betas[0] && k.beta2 === o.betas[1] &&
    k.eps === o.eps && k.weightDecay === o.weightDecay && k.maximize === o.maximize;
}

/** Adam and AdamW: same moments and state, different weight decay. */
abstract class AdamFamily extends Optimizer<Resolved> {
  private readonly decoupled: boolean;
  // The last coefficients: every parameter of a step shares them unless its group or step count differs.
  private lastKey: CoefficientKey | null = null;
  private lastCoefficients: AdamCoefficients | null = null;
  private readonly pending = new UpdateBatches<AdamCoefficients>();

  protected constructor(name: string, params: ParamsInput, opts: AdamOptions, defaultWeightDecay: number, decoupled: boolean) {
    const defaults: Resolved = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: defaultWeightDecay, amsgrad: false, maximize: false };
    super(name, params, defaults, opts, (o, where) => {
      checkOption(`${name}: ${where}: lr`, o.lr);
      checkOption(`${name}: ${where}: eps`, o.eps);
      checkOption(`${name}: ${where}: weightDecay`, o.weightDecay);
      check(Array.isArray(o.betas) && o.betas.length === 2, () =>
        `${name}: ${where}: betas must be a pair [beta1, beta2], got ${JSON.stringify(o.betas)}`);
      checkRange(`${name}: ${where}: betas[0]`, o.betas[0], 0, 1);
      checkRange(`${name}: ${where}: betas[1]`, o.betas[1], 0, 1);
      checkFlag(`${name}: ${where}: amsgrad`, o.amsgrad);
      checkFlag(`${name}: ${where}: maximize`, o.maximize);
    });
    this.decoupled = decoupled;
  }

  protected update(w: Storage, g: Storage, state: ParamState, o: Resolved, p: Tensor): void {
    const step = (state.step = ((state.step as number | undefined) ?? 0) + 1);
    const m = this.buffer(state, 'expAvg', p);
    const v = this.buffer(state, 'expAvgSq', p);
    const vmax = o.amsgrad ? this.buffer(state, 'maxExpAvgSq', p) : null;
    if (this.lastKey === null || !sameKey(this.lastKey, step, o)) {
      this.lastKey = { step, lr: o.lr, beta1: o.betas[0], beta2: o.betas[1], eps: o.eps, weightDecay: o.weightDecay, maximize: o.maximize };
      this.lastCoefficients = adamCoefficients(step, o, this.decoupled);
    }
    this.pending.add(this.lastCoefficients!, p.dtype, [w, g, m, v, vmax]);
  }

  /** Every parameter of the step in one kernel call (per group whose coefficients differ). */
  protected override flush(): void {
    this.pending.flush((c, [ws, gs, ms, vs, vmaxs]) => getBackend().adamUpdateMany(ws!, gs!, ms!, vs!, vmaxs, c));
  }
}

/** Adam (Kingma & Ba) with PyTorch's defaults: `new my.optim.Adam(model.parameters(), { lr: 1e-3 })`. */
export class Adam extends AdamFamily {
  constructor(params: ParamsInput, opts: AdamOptions = {}) {
    super('Adam', params, opts, 0, false);
  }
}

/** AdamW (decoupled weight decay, default 1e-2): `new my.optim.AdamW(model.parameters(), { weightDecay: 0.05 })`. */
export class AdamW extends AdamFamily {
  constructor(params: ParamsInput, opts: AdamOptions = {}) {
    super('AdamW', params, opts, 1e-2, true);
  }
}
