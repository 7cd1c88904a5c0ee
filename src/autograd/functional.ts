import { Tensor } from '../tensor.js';
import { check, fmtShape } from '../check.js';
import { allocate } from '../dtype.js';
import { grad } from './engine.js';
import { jvp, pairUp } from './forward.js';
import { withGradMode } from './mode.js';

type Fn = (...xs: Tensor[]) => Tensor;

/** @internal a fresh leaf sharing `t`'s values, requiring grad: the variable a transform differentiates by. */
export function variable(t: Tensor): Tensor {
  const v = t.detach();
  v.requiresGrad = true;
  return v;
}

function callF(op: string, f: Fn, xs: Tensor[]): Tensor {
  check(typeof f === 'function', () => `${op}: f must be a function`);
  const out = withGradMode(true, () => f(...xs));
  check(out instanceof Tensor, () => `${op}: f must return a Tensor, got ${typeof out}`);
  return out;
}

/** @internal gradients of `out` (which may not depend on xs at all) by xs, zeros for unused ones. */
export function gradsOf(out: Tensor, xs: Tensor[], gradOutput: Tensor | undefined, createGraph: boolean): Tensor[] {
  if (!out.requiresGrad) return xs.map((x) => new Tensor(allocate(x.dtype, x.size), x.shape));
  return grad([out], xs, { gradOutputs: gradOutput ? [gradOutput] : undefined, createGraph, retainGraph: true, allowUnused: true });
}

/**
 * f(primals) and the vector-Jacobian product uᵀJ for each primal (u may be omitted for a
 * one-element output): `const [y, [gx]] = my.autograd.vjp((x) => x.square().sum(), [x])`.
 */
export function vjp(f: Fn, primals: Tensor | readonly Tensor[], cotangents?: Tensor): [Tensor, Tensor[]] {
  const xs = (primals instanceof Tensor ? [primals] : pairUp('autograd.vjp', primals, primals, 'primals')[0]).map(variable);
  const out = callF('autograd.vjp', f, xs);
  if (cotangents !== undefined) pairUp('autograd.vjp', [out], [cotangents], 'cotangents');
  check(cotangents !== undefined || out.size === 1, () =>
    `autograd.vjp: f returned shape ${fmtShape(out.shape)}; pass cotangents for outputs with more than one element`);
  return [out.detach(), gradsOf(out, xs, cotangents, false)];
}

/** @internal one-hot tensor of `like`'s shape with a 1 at flat index i. */
export function oneHot(like: Tensor, i: number): Tensor {
  const data = allocate(like.dtype, like.size);
  data[i] = 1;
  return new Tensor(data, like.shape);
}

/** @internal stacks per-output-element rows (each of x's shape) into [...outShape, ...xShape]. */
export function assemble(rows: Tensor[], outShape: readonly number[], x: Tensor): Tensor {
  const data = allocate(x.dtype, rows.length * x.size);
  rows.forEach((r, i) => data.set(r.data, i * x.size));
  return new Tensor(data, [...outShape, ...x.shape]);
}

/** The Jacobian of y = f(...xs) w.r.t. each x, one reverse pass per element of y. */
function jacobianRows(op: string, f: Fn, xs: Tensor[]): Tensor[] {
  const vars = xs.map(variable);
  const out = callF(op, f, vars);
  const rows: Tensor[][] = vars.map(() => []);
  for (let i = 0; i < out.size; i++) {
    const gs = gradsOf(out, vars, oneHot(out, i), false);
    gs.forEach((g, k) => rows[k].push(g));
  }
  return vars.map((v, k) => assemble(rows[k], out.shape, v));
}

/**
 * The Jacobian of f at x, shape [...f(x).shape, ...x.shape] (an array of them when x is an
 * array): `my.autograd.jacobian((x) => x.sin(), x)`.
 */
export function jacobian(f: Fn, x: Tensor | readonly Tensor[]): any {
  const xs = x instanceof Tensor ? [x] : pairUp('autograd.jacobian', x, x, 'inputs')[0];
  const jac = jacobianRows('autograd.jacobian', f, xs);
  return x instanceof Tensor ? jac[0] : jac;
}

/** The Hessian of a scalar f at x, shape [...x.shape, ...x.shape]: `my.autograd.hessian((x) => x.pow(3).sum(), x)`. */
export function hessian(f: Fn, x: Tensor): Tensor {
  check(x instanceof Tensor, () => 'autograd.hessian: x must be a Tensor');
  const v = variable(x);
  const out = callF('autograd.hessian', f, [v]);
  check(out.size === 1, () => `autograd.hessian: f must return one element, got shape ${fmtShape(out.shape)}`);
  const [g] = gradsOf(out, [v], undefined, true);
  const rows: Tensor[] = [];
  for (let i = 0; i < g.size; i++) rows.push(gradsOf(g, [v], oneHot(g, i), false)[0]);
  return assemble(rows, x.shape, x);
}

/**
 * f(x) and the Hessian-vector product H v of a scalar f, by forward-over-reverse (a jvp of
 * the gradient), without forming H: `const [y, hv] = my.autograd.hvp(f, x, v)`.
 */
export function hvp(f: Fn, x: Tensor, v: Tensor): [Tensor, Tensor] {
  pairUp('autograd.hvp', [x], [v], 'v');
  const xv = variable(x);
  let value: Tensor | null = null;
  const [, hv] = jvp((z) => {
    const out = callF('autograd.hvp', f, [z]);
    check(out.size === 1, () => `autograd.hvp: f must return one element, got shape ${fmtShape(out.shape)}`);
    value = out;
    return gradsOf(out, [z], undefined, true)[0];
  }, [xv], [v]);
  return [value!.detach(), hv.detach()];
}
