import { Tensor } from '../tensor.js';
import type { Storage } from '../dtype.js';
import { allocate } from '../dtype.js';
import { check, fmtShape } from '../check.js';
import { sameShape } from '../shape.js';
import { noGrad } from '../autograd/mode.js';
import { checkOption } from './options.js';

/** Per-parameter state: moment buffers as tensors (shaped like the parameter) and counters. */
export type ParamState = Record<string, Tensor | number>;

/**
 * A group of parameters sharing hyper-parameters. `lr` is what schedulers change; setting
 * it checks the value: `opt.paramGroups[0].lr = 0.01`.
 */
export class ParamGroup<O extends { lr: number }> {
  readonly params: Tensor[];
  /** Every hyper-parameter of the group, `lr` included. */
  readonly options: O;
  private readonly optimizerName: string;

  constructor(optimizerName: string, params: Tensor[], options: O) {
    this.optimizerName = optimizerName;
    this.params = params;
    this.options = options;
  }

  get lr(): number {
    return this.options.lr;
  }

  set lr(value: number) {
    checkOption(`${this.optimizerName}: paramGroups[].lr`, value);
    this.options.lr = value;
  }
}

export type ParamsInput = Iterable<Tensor> | ({ params: Iterable<Tensor> } & Record<string, unknown>)[];

/** What `stateDict()` returns: state by parameter index (PyTorch's numbering) and group options. */
export interface OptimizerStateDict {
  state: Record<number, ParamState>;
  paramGroups: ({ params: number[] } & Record<string, unknown>)[];
}

function cloneState(s: ParamState): ParamState {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v instanceof Tensor ? v.detach().clone() : v]));
}

/**
 * Base of the optimizers: parameter groups with per-group options, per-parameter state,
 * zeroGrad and state dicts. A subclass implements `update` for one parameter, which calls
 * one plain loop over the parameter's typed array (the part a fused native kernel replaces).
 */
export abstract class Optimizer<O extends { lr: number }> {
  readonly paramGroups: ParamGroup<O>[] = [];
  protected readonly state = new Map<Tensor, ParamState>();
  protected readonly name: string;
  private readonly defaults: O;
  // Method syntax keeps Optimizer<SGDOptions> assignable to Optimizer<{ lr: number }> (bivariance).
  private readonly validator: { validate(o: O, where: string): void };

  /**
   * `defaults` lists every option the optimizer knows (an unknown key is a typo and an
   * Error); `validate` checks one group's resolved options.
   */
  constructor(name: string, params: ParamsInput, defaults: O, opts: Partial<O>, validate: (o: O, where: string) => void) {
    this.name = name;
    this.defaults = defaults;
    this.validator = { validate };
    check(params !== null && typeof params === 'object' && Symbol.iterator in params, () =>
      `${name}: params must be an iterable of Tensors or of { params, ...options } groups, got ${String(params)}`);
    check(opts !== null && typeof opts === 'object', () => `${name}: options must be an object, got ${String(opts)}`);
    this.checkKeys(opts, 'options');
    const base = { ...defaults, ...opts } as O;
    const list = Array.from(params as Iterable<unknown>);
    check(list.length > 0, () => `${name}: got an empty parameter list`);
    if (list[0] instanceof Tensor) this.addGroup(list, base, {}, true);
    else for (const g of list) this.addGroupObject(g as { params: Iterable<Tensor> }, base);
  }

  /** Adds a group, its options falling back to the constructor's: `opt.addParamGroup({ params: head.parameters(), lr: 1e-4 })`. */
  addParamGroup(group: { params: Iterable<Tensor> } & Record<string, unknown>): void {
    this.addGroupObject(group, this.paramGroups[0]?.options ?? this.defaults);
  }

  private addGroupObject(group: { params: Iterable<Tensor> } & Record<string, unknown>, base: O): void {
    const gi = this.paramGroups.length;
    check(group !== null && typeof group === 'object' && !(group instanceof Tensor) && 'params' in group, () =>
      `${this.name}: parameter group ${gi} must be { params, ...options }, got ${group instanceof Tensor ? 'a Tensor mixed with groups' : String(group)}`);
    const { params, ...overrides } = group;
    check(params !== null && typeof params === 'object' && Symbol.iterator in params, () =>
      `${this.name}: parameter group ${gi}: params must be an iterable of Tensors`);
    this.checkKeys(overrides, `parameter group ${gi}`);
    this.addGroup(Array.from(params), base, overrides, false);
  }

  /** `flat`: the constructor got a plain list of tensors, so messages name no group. */
  private addGroup(tensors: unknown[], base: O, overrides: Record<string, unknown>, flat: boolean): void {
    const where = flat ? 'options' : `parameter group ${this.paramGroups.length}`;
    const param = flat ? 'parameter' : `${where} parameter`;
    check(tensors.length > 0, () => `${this.name}: ${where} has an empty parameter list`);
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    tensors.forEach((p, i) => {
      check(p instanceof Tensor, () => `${this.name}: ${param} ${i} is not a Tensor (got ${p === null ? 'null' : typeof p})`);
      check(p.isLeaf, () => `${this.name}: ${param} ${i} ${fmtShape(p.shape)} is not a leaf tensor; optimize leaves (parameters), not results of ops`);
      check(!seen.has(p), () => `${this.name}: ${param} ${i} ${fmtShape(p.shape)} appears more than once in the parameter groups`);
      seen.add(p);
    });
    const options = { ...base, ...overrides } as O;
    this.validator.validate(options, where);
    this.paramGroups.push(new ParamGroup(this.name, tensors as Tensor[], options));
  }

  private checkKeys(opts: object, where: string): void {
    for (const key of Object.keys(opts)) {
      check(key in this.defaults, () =>
        `${this.name}: unknown option '${key}' in ${where}; known options: ${Object.keys(this.defaults).join(', ')}`);
    }
  }

  /** Clears the gradients of every parameter (sets them to null, as PyTorch's default does). */
  zeroGrad(): void {
    for (const g of this.paramGroups) for (const p of g.params) p._releaseGrad();
  }

  /** Applies one update to every parameter that has a gradient: `loss.backward(); opt.step()`. */
  step(): void {
    noGrad(() => {
      try {
        for (const group of this.paramGroups) {
          for (const p of group.params) {
            if (p._grad === null) continue;
            check(sameShape(p._grad.shape, p.shape) && p._grad.dtype === p.dtype, () =>
              `${this.name}.step: gradient ${fmtShape(p._grad!.shape)} ${p._grad!.dtype} does not match its parameter ${fmtShape(p.shape)} ${p.dtype}`);
            let s = this.state.get(p);
            if (!s) this.state.set(p, (s = {}));
            this.update(p.data, p._grad.data, s, group.options, p);
            p._bumpVersion();
          }
        }
      } finally {
        // Updates queued by update() land even when a later parameter fails its check,
        // as they would have one by one.
        this.flush();
      }
    });
  }

  /**
   * Updates the parameter values `w` in place from the gradient `g`, or queues the update
   * for flush() (which step() calls before it returns).
   */
  protected abstract update(w: Storage, g: Storage, state: ParamState, options: O, p: Tensor): void;

  /** Runs the updates update() queued: one kernel call for many parameters (Adam, SGD). */
  protected flush(): void {}

  /** The state buffer `key` of parameter `p`, created filled with `init` on first use. */
  protected buffer(state: ParamState, key: string, p: Tensor, init = 0): Storage {
    let t = state[key] as Tensor | undefined;
    if (t === undefined) {
      const data = allocate(p.dtype, p.size);
      if (init !== 0) data.fill(init);
      state[key] = t = new Tensor(data, p.shape.slice());
    }
    return t.data;
  }

  /** The per-parameter state (by parameter index, as PyTorch numbers them) and group options, copied. */
  stateDict(): OptimizerStateDict {
    const state: Record<number, ParamState> = {};
    let index = 0;
    const paramGroups = this.paramGroups.map((g) => {
      const ids: number[] = [];
      for (const p of g.params) {
        const s = this.state.get(p);
        if (s) state[index] = cloneState(s);
        ids.push(index++);
      }
      return { ...g.options, params: ids };
    });
    return { state, paramGroups };
  }

  /** Restores a stateDict() into an optimizer over parameters of the same shapes, group by group. */
  loadStateDict(sd: OptimizerStateDict): void {
    const fn = `${this.name}.loadStateDict`;
    check(sd !== null && typeof sd === 'object' && Array.isArray(sd.paramGroups) && sd.state !== null && typeof sd.state === 'object', () =>
      `${fn}: expected { state, paramGroups } as stateDict() returns`);
    check(sd.paramGroups.length === this.paramGroups.length, () =>
      `${fn}: the state dict has ${sd.paramGroups.length} parameter groups, the optimizer ${this.paramGroups.length}`);
    const params = this.paramGroups.flatMap((g) => g.params);
    const options = this.paramGroups.map((g, i) => {
      const saved = sd.paramGroups[i];
      check(Array.isArray(saved.params) && saved.params.length === g.params.length, () =>
        `${fn}: group ${i} has ${g.params.length} parameters, the state dict ${Array.isArray(saved.params) ? saved.params.length : 'none'}`);
      const { params: _ids, ...rest } = saved;
      this.checkKeys(rest, `state dict group ${i}`);
      const o = { ...g.options, ...rest } as O;
      this.validator.validate(o, `state dict group ${i}`);
      return o;
    });
    const state = new Map<Tensor, ParamState>();
    for (const [key, s] of Object.entries(sd.state)) {
      const p = params[Number(key)];
      check(p !== undefined, () => `${fn}: state for parameter ${key}, but the optimizer has ${params.length} parameters`);
      for (const [k, v] of Object.entries(s)) {
        check(typeof v === 'number' || (v instanceof Tensor && sameShape(v.shape, p.shape)), () =>
          `${fn}: state '${k}' of parameter ${key} is ${v instanceof Tensor ? `shaped ${fmtShape(v.shape)}` : typeof v}; expected a number or a tensor shaped like the parameter ${fmtShape(p.shape)}`);
      }
      const copy = cloneState(s);
      // Buffers take the parameter's dtype, as PyTorch casts state to the parameter's.
      for (const [k, v] of Object.entries(copy)) if (v instanceof Tensor && v.dtype !== p.dtype) copy[k] = v.to(p.dtype);
      state.set(p, copy);
    }
    // Only now that everything is checked: a failed load leaves the optimizer as it was.
    this.paramGroups.forEach((g, i) => Object.assign(g.options, options[i]));
    this.state.clear();
    for (const [p, s] of state) this.state.set(p, s);
  }
}

/** Any optimizer, whatever its options: what schedulers and training loops accept. */
export type AnyOptimizer = Optimizer<{ lr: number }>;
