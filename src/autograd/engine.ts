import { Tensor } from '../tensor.js';
import { check, fmtShape } from '../check.js';
import { sameShape } from '../shape.js';
import { allocate } from '../dtype.js';
import { OpNode, type Node } from './graph.js';
import { withGradMode } from './mode.js';
import { add } from '../ops/elementwise.js';
import { cast } from '../ops/shape.js';
import { markOwnedGrad, recycleStorage, releaseOwnedGrad } from '../ops/storage.js';

export interface BackwardOptions {
  retainGraph?: boolean;
  createGraph?: boolean;
}

function onesLikeOf(t: Tensor): Tensor {
  const data = allocate(t.dtype, t.size);
  data.fill(1);
  return new Tensor(data, t.shape);
}

/** Gradients of the roots: given ones, or the implicit 1 of a one-element root. */
function rootGrads(op: string, roots: readonly Tensor[], grads: readonly (Tensor | null | undefined)[] | undefined): Tensor[] {
  return roots.map((r, i) => {
    check(r instanceof Tensor, () => `${op}: outputs[${i}] is not a Tensor`);
    check(r.requiresGrad, () =>
      `${op}: element ${i} of the outputs does not require grad and has no gradFn (was it computed under noGrad, or from tensors without requiresGrad?)`);
    const g = grads?.[i];
    if (g === undefined || g === null) {
      check(r.size === 1, () =>
        `${op}: grad can be implicitly created only for one-element outputs; output ${i} has shape ${fmtShape(r.shape)}, pass gradOutputs`);
      return onesLikeOf(r);
    }
    check(g instanceof Tensor && sameShape(g.shape, r.shape), () =>
      `${op}: gradOutputs[${i}] must be a Tensor of shape ${fmtShape(r.shape)}, got ${g instanceof Tensor ? fmtShape(g.shape) : typeof g}`);
    return g.dtype === r.dtype ? g : cast(g, r.dtype);
  });
}

/** A reachable node's bookkeeping during one backward run. */
interface Pending {
  /** Edges not yet processed that point at the node; it runs when this reaches 0. */
  deps: number;
  /** Gradients of its outputs received so far (null until the first arrives). */
  grads: (Tensor | null)[] | null;
}

/** Nodes reachable from the roots, with how many edges point at each (one Map lookup per edge). */
function collect(op: string, roots: readonly Tensor[]): Map<Node, Pending> {
  const pending = new Map<Node, Pending>();
  const stack: Node[] = [];
  for (const r of roots) {
    if (r.gradFn && !pending.has(r.gradFn)) {
      pending.set(r.gradFn, { deps: 0, grads: null });
      stack.push(r.gradFn);
    }
  }
  while (stack.length > 0) {
    const node = stack.pop()!;
    check(node.inputs !== null, () =>
      `${op}: trying to backward through the graph a second time (${node.name}'s saved tensors were freed); ` +
        'pass retainGraph: true to the first backward or autograd.grad if you need to');
    for (const t of node.inputs) {
      const next = t.gradFn;
      if (next === null || !t.requiresGrad) continue;
      const seen = pending.get(next);
      if (seen === undefined) {
        pending.set(next, { deps: 1, grads: null });
        stack.push(next);
      } else seen.deps++;
    }
  }
  return pending;
}

function anyNonNull(grads: readonly (Tensor | null)[]): boolean {
  for (const g of grads) if (g !== null) return true;
  return false;
}

function accumulate(a: Tensor | null | undefined, b: Tensor): Tensor {
  return a ? add(a, b) : b;
}

/**
 * The reverse-mode engine. Processes nodes in topological order, summing the gradients
 * that reach each tensor; `sink` receives the gradient of every leaf (and of each tensor in
 * `capture`, when given), with `fresh` true when it came straight from an op that allocated it
 * for that leaf alone (OpDef.freshGrads) and no graph is being recorded. The graph is freed
 * unless retainGraph.
 */
function run(
  op: string,
  roots: readonly Tensor[],
  gradRoots: Tensor[],
  opts: BackwardOptions,
  sink: (t: Tensor, g: Tensor, fresh: boolean) => void,
  capture?: ReadonlySet<Tensor>,
): void {
  const createGraph = opts.createGraph ?? false;
  const retain = opts.retainGraph ?? createGraph;
  const pending = collect(op, roots);
  const ready: Node[] = [];
  const deliver = (t: Tensor, g: Tensor, fresh: boolean): void => {
    if (capture?.has(t)) sink(t, g, false);
    const node = t.gradFn;
    if (node === null) {
      if (!capture) sink(t, g, fresh);
      return;
    }
    const entry = pending.get(node)!;
    const buf = (entry.grads ??= new Array<Tensor | null>(node.numOutputs).fill(null));
    buf[t.outputIndex] = accumulate(buf[t.outputIndex], g);
  };
  withGradMode(createGraph, () => {
    for (let i = 0; i < roots.length; i++) deliver(roots[i], gradRoots[i], false);
    for (const r of roots) if (r.gradFn && pending.get(r.gradFn)!.deps === 0) ready.push(r.gradFn);
    while (ready.length > 0) {
      const node = ready.pop()!;
      const entry = pending.get(node)!;
      const grads = entry.grads;
      entry.grads = null;
      const inputs = node.inputs!;
      let inputGrads: (Tensor | null)[] | null = null;
      if (grads && anyNonNull(grads)) {
        node.checkVersions();
        inputGrads = node.backward(grads);
      }
      const fresh = !createGraph && node instanceof OpNode && node.op.freshGrads === true;
      for (let i = 0; i < inputs.length; i++) {
        const t = inputs[i];
        if (!t.requiresGrad) continue;
        const g = inputGrads?.[i];
        if (g) {
          check(sameShape(g.shape, t.shape), () =>
            `${node.name}: its gradient for input ${i} has shape ${fmtShape(g.shape)}, expected ${fmtShape(t.shape)}`);
          deliver(t, g.dtype === t.dtype ? g : cast(g, t.dtype), fresh);
        }
        const next = t.gradFn;
        if (next !== null && --pending.get(next)!.deps === 0) ready.push(next);
      }
      if (!retain) node.release();
    }
  });
}

/** `t.backward()`: accumulates into `.grad` of every leaf that requires grad. */
export function backward(roots: readonly Tensor[], grads: readonly (Tensor | null | undefined)[] | undefined, opts: BackwardOptions = {}): void {
  const gradRoots = rootGrads('backward', roots, grads);
  run('backward', roots, gradRoots, opts, (leaf, g, fresh) => {
    if (!leaf.requiresGrad) return;
    const value = opts.createGraph ? g : g.detach();
    const prev = leaf._grad;
    if (prev === null) {
      leaf._grad = value;
      if (fresh) markOwnedGrad(value.data, leaf);
      return;
    }
    leaf._grad = withGradMode(opts.createGraph ?? false, () => add(prev, value));
    // Accumulating over several backward calls: the summands the library alone held are
    // spare, unless the sum was recorded in a graph (which keeps its inputs).
    if (opts.createGraph) return;
    releaseOwnedGrad(prev.data, leaf);
    if (fresh) recycleStorage(value.data);
  });
}

export interface GradOptions {
  gradOutputs?: readonly (Tensor | null | undefined)[];
  createGraph?: boolean;
  retainGraph?: boolean;
  allowUnused?: boolean;
}

/**
 * Gradients of `outputs` with respect to `inputs`, returned rather than accumulated:
 * `const [gx] = my.autograd.grad([y], [x], { createGraph: true })`.
 * Unused inputs give zeros when allowUnused (PyTorch gives None; zeros compose better here).
 */
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], opts: GradOptions = {}): Tensor[] {
  const outs = Array.isArray(outputs) ? outputs : [outputs as Tensor];
  const ins = Array.isArray(inputs) ? inputs : [inputs as Tensor];
  ins.forEach((t, i) => {
    check(t instanceof Tensor, () => `autograd.grad: inputs[${i}] is not a Tensor`);
    check(t.requiresGrad, () => `autograd.grad: inputs[${i}] ${fmtShape(t.shape)} does not require grad`);
  });
  const gradRoots = rootGrads('autograd.grad', outs, opts.gradOutputs);
  const found = new Map<Tensor, Tensor>();
  run('autograd.grad', outs, gradRoots, opts, (t, g) => found.set(t, accumulate(found.get(t), g)), new Set(ins));
  return ins.map((t, i) => {
    const g = found.get(t);
    if (g) return opts.createGraph ? g : g.detach();
    check(opts.allowUnused === true, () =>
      `autograd.grad: inputs[${i}] ${fmtShape(t.shape)} was not used to compute the outputs; pass allowUnused: true to get zeros`);
    return new Tensor(allocate(t.dtype, t.size), t.shape);
  });
}
