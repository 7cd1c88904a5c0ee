import type { Tensor } from '../tensor.js';
import { check } from '../check.js';
import { Optimizer, checkOption, type ParamGroup, type ParamsInput } from './optimizer.js';

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
 * Stochastic gradient descent with PyTorch's update rule (momentum buffer starts as the
 * first gradient; dampening; Nesterov): `new my.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })`.
 */
export class SGD extends Optimizer<Resolved> {
  constructor(params: ParamsInput, opts: SGDOptions) {
    super('SGD', params, { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false, ...opts }, (o) => {
      checkOption('SGD', 'lr', o.lr);
      checkOption('SGD', 'momentum', o.momentum);
      checkOption('SGD', 'weightDecay', o.weightDecay);
      checkOption('SGD', 'dampening', o.dampening);
      check(!o.nesterov || (o.momentum > 0 && o.dampening === 0), () => 'SGD: nesterov needs momentum > 0 and zero dampening');
    });
  }

  protected update(p: Tensor, grad: Tensor, state: Record<string, Tensor | number>, group: ParamGroup<Resolved>): void {
    const { momentum, dampening, nesterov, weightDecay, maximize } = group.options;
    const lr = group.lr;
    const w = p.data, g = grad.data, n = w.length;
    const sign = maximize ? -1 : 1;
    if (momentum === 0) {
      for (let i = 0; i < n; i++) w[i] -= lr * sign * (g[i] + weightDecay * w[i]);
      return;
    }
    let buf = state.momentumBuffer as Tensor | undefined;
    const first = buf === undefined;
    if (first) state.momentumBuffer = buf = grad.detach().clone();
    const b = buf!.data;
    for (let i = 0; i < n; i++) {
      const d = g[i] + weightDecay * w[i];
      const v = first ? d : momentum * b[i] + (1 - dampening) * d;
      b[i] = v;
      w[i] -= lr * sign * (nesterov ? d + momentum * v : v);
    }
  }
}
