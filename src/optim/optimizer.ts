import { Tensor } from '../tensor.js';
import { check, fmtShape } from '../check.js';
import { noGrad } from '../autograd/mode.js';

/** A group of parameters sharing hyper-parameters; `lr` is what schedulers change. */
export interface ParamGroup<O> {
  params: Tensor[];
  lr: number;
  options: O;
}

export type ParamsInput = Iterable<Tensor> | { params: Iterable<Tensor>; [option: string]: unknown }[];

/**
 * Base of the optimizers: parameter groups, per-parameter state, zeroGrad and state dicts.
 * Subclasses implement `update` for one parameter; the algorithm stays in TypeScript.
 */
export abstract class Optimizer<O extends { lr: number }> {
  readonly paramGroups: ParamGroup<O>[];
  protected readonly state = new Map<Tensor, Record<string, Tensor | number>>();
  protected readonly name: string;

  constructor(name: string, params: ParamsInput, defaults: O, validate: (o: O) => void) {
    this.name = name;
    const list = Array.from(params as Iterable<unknown>);
    check(list.length > 0, () => `${name}: got an empty parameter list`);
    const groups = list.every((g) => g instanceof Tensor)
      ? [{ params: list as Tensor[] }]
      : (list as { params: Iterable<Tensor> }[]);
    this.paramGroups = groups.map((g, gi) => {
      check(g !== null && typeof g === 'object' && 'params' in g, () => `${name}: parameter group ${gi} must be { params, ...options }`);
      const { params: ps, ...overrides } = g as { params: Iterable<Tensor> };
      const options = { ...defaults, ...overrides } as O;
      validate(options);
      const tensors = Array.from(ps);
      tensors.forEach((p, i) => {
        check(p instanceof Tensor, () => `${name}: group ${gi} parameter ${i} is not a Tensor`);
        check(p.isLeaf, () => `${name}: group ${gi} parameter ${i} ${fmtShape(p.shape)} is not a leaf tensor; optimize leaves (parameters)`);
      });
      return { params: tensors, lr: options.lr, options };
    });
  }

  /** Clears the gradients of every parameter (sets them to null, as PyTorch's default does). */
  zeroGrad(): void {
    for (const g of this.paramGroups) for (const p of g.params) p.grad = null;
  }

  /** Applies one update to every parameter that has a gradient. */
  step(): void {
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          if (p.grad === null) continue;
          let s = this.state.get(p);
          if (!s) this.state.set(p, (s = {}));
          this.update(p, p.grad, s, group);
          p._bumpVersion();
        }
      }
    });
  }

  /** Updates `p.data` in place from its gradient `g`. */
  protected abstract update(p: Tensor, g: Tensor, state: Record<string, Tensor | number>, group: ParamGroup<O>): void;

  /** The per-parameter state (by parameter index, as PyTorch numbers them) and group options. */
  stateDict(): { state: Record<number, Record<string, Tensor | number>>; paramGroups: Record<string, unknown>[] } {
    const state: Record<number, Record<string, Tensor | number>> = {};
    let index = 0;
    const paramGroups = this.paramGroups.map((g) => {
      const ids: number[] = [];
      for (const p of g.params) {
        const s = this.state.get(p);
        if (s) state[index] = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v instanceof Tensor ? v.clone().detach() : v]));
        ids.push(index++);
      }
      return { ...g.options, lr: g.lr, params: ids };
    });
    return { state, paramGroups };
  }

  /** Restores state saved by stateDict into an optimizer over parameters of the same shapes. */
  loadStateDict(sd: ReturnType<Optimizer<O>['stateDict']>): void {
    check(sd && Array.isArray(sd.paramGroups) && sd.paramGroups.length === this.paramGroups.length, () =>
      `${this.name}.loadStateDict: expected ${this.paramGroups.length} parameter groups`);
    const params = this.paramGroups.flatMap((g) => g.params);
    this.paramGroups.forEach((g, i) => {
      const saved = sd.paramGroups[i];
      check(Array.isArray(saved.params) && (saved.params as number[]).length === g.params.length, () =>
        `${this.name}.loadStateDict: group ${i} has ${g.params.length} parameters, the state dict ${(saved.params as number[])?.length}`);
      const { params: _ids, lr, ...options } = saved;
      g.lr = lr as number;
      g.options = { ...g.options, ...options, lr: lr as number };
    });
    this.state.clear();
    for (const [key, s] of Object.entries(sd.state)) {
      const p = params[Number(key)];
      check(p !== undefined, () => `${this.name}.loadStateDict: state for unknown parameter ${key}`);
      const copy: Record<string, Tensor | number> = {};
      for (const [k, v] of Object.entries(s)) {
        if (v instanceof Tensor) {
          check(v.size === p.size || v.size === 1, () => `${this.name}.loadStateDict: state '${k}' of parameter ${key} has shape ${fmtShape(v.shape)}, the parameter ${fmtShape(p.shape)}`);
          copy[k] = v.clone().detach();
        } else copy[k] = v;
      }
      this.state.set(p, copy);
    }
  }
}

/** Checks a hyper-parameter is a finite number >= `min`, naming the optimizer. */
export function checkOption(opt: string, name: string, value: unknown, min = 0): void {
  check(typeof value === 'number' && Number.isFinite(value) && value >= min, () =>
    `${opt}: ${name} must be a number >= ${min}, got ${String(value)}`);
}
