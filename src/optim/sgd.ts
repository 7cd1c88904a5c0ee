import type { Tensor } from '../tensor.js';
import type { Storage } from '../dtype.js';
import { check } from '../check.js';
import { getBackend } from '../backend/index.js';
import { Optimizer, type ParamState, type ParamsInput } from './optimizer.js';
import { checkFlag, checkOption } from './options.js';
import { UpdateBatches } from './batch.js';
import type { SgdCoefficients } from '../backend/backend.js';

export interface SGDOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
  maximize?: boolean;
}

type Resolved = Required<SGDOptions>;

/**
 * One SGD update of one parameter array, PyTorch 1.13's rule: d = ±g + wd·w; with momentum
 * the buffer starts as d (no dampening on the first step), then b = μb + (1-τ)d; Nesterov
 * steps along d + μb. `buf` is null without momentum; `first` says the buffer is new.
 */
export function sgdUpdate(w: Storage, g: Storage, buf: Storage | null, first: boolean, o: Resolved): void {
  getBackend().sgdUpdate(w, g, buf, sgdCoefficients(o, first));
}

function sgdCoefficients(o: Resolved, first: boolean): SgdCoefficients {
  return {
    lr: o.lr,
    momentum: o.momentum,
    dampening: o.dampening,
    weightDecay: o.weightDecay,
    sign: o.maximize ? -1 : 1,
    nesterov: o.nesterov,
    first,
  };
}

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov and weight decay as PyTorch
 * has them: `new my.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })`.
 */
export class SGD extends Optimizer<Resolved> {
  constructor(params: ParamsInput, opts: SGDOptions) {
    // lr has no default, as in PyTorch: undefined fails the check below with a clear message.
    const defaults = { lr: undefined as unknown as number, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false };
    super('SGD', params, defaults, opts, (o, where) => {
      checkOption(`SGD: ${where}: lr`, o.lr);
      checkOption(`SGD: ${where}: momentum`, o.momentum);
      checkOption(`SGD: ${where}: dampening`, o.dampening);
      checkOption(`SGD: ${where}: weightDecay`, o.weightDecay);
      checkFlag(`SGD: ${where}: nesterov`, o.nesterov);
      checkFlag(`SGD: ${where}: maximize`, o.maximize);
      check(!o.nesterov || (o.momentum > 0 && o.dampening === 0), () =>
        `SGD: ${where}: nesterov needs momentum > 0 and zero dampening, got momentum ${o.momentum}, dampening ${o.dampening}`);
    });
  }

  // The coefficients of this step per group options object and first-step flag, so the
  // parameters that share them share one kernel call.
  private readonly pending = new UpdateBatches<SgdCoefficients>();
  private coefficients = new Map<Resolved, [SgdCoefficients | null, SgdCoefficients | null]>();

  protected update(w: Storage, g: Storage, state: ParamState, o: Resolved, p: Tensor): void {
    const first = o.momentum !== 0 && state.momentumBuffer === undefined;
    const buf = o.momentum === 0 ? null : this.buffer(state, 'momentumBuffer', p);
    let pair = this.coefficients.get(o);
    if (pair === undefined) this.coefficients.set(o, (pair = [null, null]));
    const c = (pair[first ? 1 : 0] ??= sgdCoefficients(o, first));
    this.pending.add(c, p.dtype, [w, g, buf]);
  }

  protected override flush(): void {
    // Options may change between steps (schedulers set lr): coefficients are rebuilt each step.
    this.coefficients.clear();
    this.pending.flush((c, [ws, gs, bufs]) => getBackend().sgdUpdateMany(ws!, gs!, bufs, c));
  }
}
