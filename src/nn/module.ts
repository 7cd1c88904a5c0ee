import { Tensor } from '../tensor.js';
import { check, fmtShape } from '../check.js';
import type { DType } from '../dtype.js';
import { sameShape } from '../shape.js';
import { noGrad } from '../autograd/mode.js';
import { Parameter } from './parameter.js';

/**
 * Base class of layers and models. Parameters (`Parameter` properties), buffers
 * (`registerBuffer`) and submodules (`Module` properties) are found by walking the
 * instance's own properties in the order they were assigned, which gives PyTorch's
 * state-dict keys (`"0.weight"`, `"fc1.bias"`).
 */
export abstract class Module {
  training = true;
  private readonly bufferNames = new Set<string>();

  /** Computes the module's output: `model.forward(x)`. */
  abstract forward(...inputs: any[]): Tensor;

  /** Registers a tensor that is saved in the state dict but not trained (running statistics, say). */
  protected registerBuffer(name: string, t: Tensor): void {
    this.bufferNames.add(name);
    (this as any)[name] = t;
  }

  /** Direct submodules with their property names. */
  namedChildren(): [string, Module][] {
    return Object.entries(this).filter((e): e is [string, Module] => e[1] instanceof Module);
  }

  /** Every parameter with its dotted name, depth first in assignment order. */
  namedParameters(prefix = ''): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Tensor>();
    for (const [name, value] of Object.entries(this)) {
      if (value instanceof Parameter && !seen.has(value)) {
        seen.add(value);
        out.push([prefix + name, value]);
      } else if (value instanceof Module) {
        for (const [n, p] of value.namedParameters(`${prefix}${name}.`)) {
          if (!seen.has(p)) {
            seen.add(p);
            out.push([n, p]);
          }
        }
      }
    }
    return out;
  }

  /** Every parameter: `new my.optim.SGD(model.parameters(), { lr: 0.1 })`. */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Buffers with their dotted names. */
  namedBuffers(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [name, value] of Object.entries(this)) {
      if (value instanceof Module) out.push(...value.namedBuffers(`${prefix}${name}.`));
      else if (this.bufferNames.has(name) && value instanceof Tensor) out.push([prefix + name, value]);
    }
    return out;
  }

  /** Training mode (dropout active): returns the module. */
  train(mode = true): this {
    this.training = mode;
    for (const [, child] of this.namedChildren()) child.train(mode);
    return this;
  }

  /** Evaluation mode (dropout off): returns the module. */
  eval(): this {
    return this.train(false);
  }

  /** Clears every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.parameters()) p._releaseGrad();
  }

  /** Parameters and buffers by PyTorch's dotted keys; the tensors share storage with the module. */
  stateDict(): Record<string, Tensor> {
    const sd: Record<string, Tensor> = {};
    for (const [name, p] of this.namedParameters()) sd[name] = p.detach();
    for (const [name, b] of this.namedBuffers()) sd[name] = b.detach();
    return sd;
  }

  /**
   * Copies values into the existing parameters and buffers, as PyTorch does. With `strict`
   * (the default) missing and unexpected keys are an Error; a wrong shape always is.
   */
  loadStateDict(sd: Record<string, Tensor>, opts: { strict?: boolean } = {}): void {
    check(sd !== null && typeof sd === 'object', () => `loadStateDict: expected an object of Tensors, got ${String(sd)}`);
    const strict = opts.strict ?? true;
    const own = new Map<string, Tensor>([...this.namedParameters(), ...this.namedBuffers()]);
    const missing = [...own.keys()].filter((k) => !(k in sd));
    const unexpected = Object.keys(sd).filter((k) => !own.has(k));
    check(!strict || (missing.length === 0 && unexpected.length === 0), () =>
      `loadStateDict: ${this.constructor.name}: ` +
        [missing.length ? `missing keys ${JSON.stringify(missing)}` : '', unexpected.length ? `unexpected keys ${JSON.stringify(unexpected)}` : '']
          .filter(Boolean).join('; '));
    for (const [key, target] of own) {
      const src = sd[key];
      if (src === undefined) continue;
      check(src instanceof Tensor, () => `loadStateDict: '${key}' is not a Tensor`);
      check(sameShape(src.shape, target.shape), () =>
        `loadStateDict: '${key}' has shape ${fmtShape(src.shape)} in the state dict but ${fmtShape(target.shape)} in ${this.constructor.name}`);
    }
    noGrad(() => {
      for (const [key, target] of own) if (sd[key] !== undefined) target.copy_(sd[key]);
    });
  }

  /** Converts every parameter and buffer to `dtype`; returns the module. */
  to(dtype: DType): this {
    for (const [name, value] of Object.entries(this)) {
      if (value instanceof Module) value.to(dtype);
      else if (value instanceof Parameter && value.dtype !== dtype) {
        (this as any)[name] = new Parameter(value.detach().to(dtype), value.requiresGrad);
      } else if (this.bufferNames.has(name) && value instanceof Tensor) (this as any)[name] = value.to(dtype);
    }
    return this;
  }
}
