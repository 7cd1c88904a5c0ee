import { Tensor } from '../tensor.js';
import { check, fmtShape } from '../check.js';
import { allocate } from '../dtype.js';
import { sameShape } from '../shape.js';
import { Node } from './graph.js';
import { mode, noGrad } from './mode.js';

/** What a custom Function's forward hands to its backward. */
export class FunctionCtx {
  private saved: Tensor[] = [];
  private versions: number[] = [];
  private freed = false;
  /** Set by apply: which inputs need a gradient (PyTorch's ctx.needs_input_grad). */
  needsInputGrad: boolean[] = [];
  /** The Function's name, for error messages. */
  constructor(readonly name: string) {}

  /** Keeps tensors for backward; changing one in place afterwards makes backward throw. */
  saveForBackward(...tensors: Tensor[]): void {
    tensors.forEach((t, i) => check(t instanceof Tensor, () => `${this.name}.saveForBackward: argument ${i} is not a Tensor`));
    this.saved = tensors;
    this.versions = tensors.map((t) => t._version.value);
  }

  /** The tensors given to saveForBackward. */
  get savedTensors(): Tensor[] {
    check(!this.freed, () =>
      `${this.name}: trying to backward through the graph a second time (saved tensors were freed); pass retainGraph: true`);
    this.saved.forEach((t, i) => check(t._version.value === this.versions[i], () =>
      `${this.name}: saved tensor ${i} (shape ${fmtShape(t.shape)}) was modified in place after saveForBackward ` +
        `(version ${this.versions[i]} -> ${t._version.value}); clone it before changing it`));
    return this.saved;
  }

  /** @internal */
  _free(): void {
    this.saved = [];
    this.freed = true;
  }
}

type FunctionClass = {
  name: string;
  forward(ctx: FunctionCtx, ...inputs: any[]): Tensor | Tensor[];
  backward(ctx: FunctionCtx, ...gradOutputs: Tensor[]): Tensor | null | (Tensor | null)[];
  jvp?(ctx: FunctionCtx, ...tangents: (Tensor | null)[]): Tensor | Tensor[];
};

/** The graph node of one call of a custom Function. */
class FunctionNode extends Node {
  constructor(readonly fn: FunctionClass, readonly ctx: FunctionCtx, inputs: Tensor[], readonly outputs: readonly Tensor[]) {
    super(inputs);
  }

  get name(): string {
    return this.fn.name;
  }

  get numOutputs(): number {
    return this.outputs.length;
  }

  backward(grads: readonly (Tensor | null)[]): (Tensor | null)[] {
    // Outputs that received no gradient get zeros, as PyTorch's materialize_grads does.
    const full = grads.map((g, i) => g ?? new Tensor(allocate(this.outputs[i].dtype, this.outputs[i].size), this.outputs[i].shape));
    const res = this.fn.backward(this.ctx, ...full);
    const list = Array.isArray(res) ? res : [res];
    const inputs = this.inputs!;
    check(list.length === inputs.length, () =>
      `${this.name}.backward returned ${list.length} gradients for ${inputs.length} tensor inputs`);
    return list.map((g, i) => {
      if (g === null || g === undefined) return null;
      check(g instanceof Tensor && sameShape(g.shape, inputs[i].shape), () =>
        `${this.name}.backward: gradient ${i} must be a Tensor of shape ${fmtShape(inputs[i].shape)}, got ${g instanceof Tensor ? fmtShape(g.shape) : typeof g}`);
      return g;
    });
  }

  /** Only what saveForBackward kept matters here; savedTensors checks those versions. */
  override checkVersions(): void {}

  override release(): void {
    super.release();
    this.ctx._free();
  }
}

/**
 * A custom differentiable op. Subclass with `static forward(ctx, ...inputs)` and
 * `static backward(ctx, ...gradOutputs)` (optionally `static jvp(ctx, ...tangents)` for forward
 * mode), then call `MyFn.apply(x)`. A backward written with ops is itself differentiable.
 *
 * ```ts
 * class Cube extends my.autograd.Function {
 *   static forward(ctx, x) { ctx.saveForBackward(x); return x.pow(3); }
 *   static backward(ctx, g) { const [x] = ctx.savedTensors; return g.mul(x.square().mul(3)); }
 * }
 * ```
 */
export class Function {
  static forward(_ctx: FunctionCtx, ..._inputs: any[]): Tensor | Tensor[] {
    throw new Error(`${this.name}: a Function subclass must define static forward(ctx, ...inputs)`);
  }

  static backward(_ctx: FunctionCtx, ..._gradOutputs: Tensor[]): Tensor | null | (Tensor | null)[] {
    throw new Error(`${this.name}: a Function subclass must define static backward(ctx, ...gradOutputs)`);
  }

  /** Runs forward without recording, then links the outputs to one node whose backward is `backward`. */
  static apply(...inputs: any[]): any {
    const fn = this as unknown as FunctionClass;
    const ctx = new FunctionCtx(fn.name);
    const tensors = inputs.filter((x): x is Tensor => x instanceof Tensor);
    ctx.needsInputGrad = tensors.map((t) => t.requiresGrad);
    const tangents = mode.forward > 0 ? tensors.map((t) => t._tangent) : [];
    const res = noGrad(() => fn.forward(ctx, ...inputs));
    const single = !Array.isArray(res);
    // An input returned as is becomes a new tensor on its storage, so the node never owns an input.
    const outputs = (single ? [res] : res).map((o, i) => {
      check(o instanceof Tensor, () => `${fn.name}.forward must return a Tensor or an array of Tensors (output ${i})`);
      return tensors.includes(o) ? new Tensor(o.data, o.shape, o._version) : o;
    });
    if (mode.grad && ctx.needsInputGrad.some(Boolean)) {
      const node = new FunctionNode(fn, ctx, tensors, outputs);
      outputs.forEach((o, i) => o._setGradFn(node, i));
    }
    if (tangents.some((t) => t !== null)) propagateFunctionTangents(fn, ctx, tangents, outputs);
    return single ? outputs[0] : outputs;
  }
}

function propagateFunctionTangents(fn: FunctionClass, ctx: FunctionCtx, tangents: (Tensor | null)[], outputs: Tensor[]): void {
  check(typeof fn.jvp === 'function', () =>
    `${fn.name}: forward-mode (jvp) needs a static jvp(ctx, ...tangents) on the Function, which it does not define`);
  const depth = mode.forward;
  mode.forward = 0;
  try {
    const res = fn.jvp!(ctx, ...tangents);
    const list = Array.isArray(res) ? res : [res];
    outputs.forEach((o, i) => (o._tangent = list[i] ?? null));
  } finally {
    mode.forward = depth;
  }
}
