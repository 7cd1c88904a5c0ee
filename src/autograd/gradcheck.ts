import { Tensor } from '../tensor.js';
import { check, fmtShape } from '../check.js';
import { allocate } from '../dtype.js';
import { stridesOf } from '../shape.js';
import { concat, reshape } from '../ops/shape.js';
import { noGrad, withGradMode } from './mode.js';
import { withComplexMode } from './complex.js';
import { assemble, gradsOf, oneHot, variable } from './functional.js';

type Fn = (...xs: Tensor[]) => Tensor;
export type NumericalMethod = 'central' | 'forward' | 'complex-step';

export interface NumericalGradOptions {
  /** Step size; defaults: 1e-6 central, 1e-7 forward, 1e-20 complex-step. */
  eps?: number;
  method?: NumericalMethod;
}

export interface GradcheckOptions extends NumericalGradOptions {
  atol?: number;
  rtol?: number;
}

const defaultEps: Record<NumericalMethod, number> = { central: 1e-6, forward: 1e-7, 'complex-step': 1e-20 };

function inputList(op: string, inputs: Tensor | readonly Tensor[]): Tensor[] {
  const list = inputs instanceof Tensor ? [inputs] : Array.isArray(inputs) ? inputs.slice() : null;
  check(list !== null && list.length > 0, () => `${op}: inputs must be a Tensor or a non-empty array of Tensors`);
  list.forEach((t, i) => check(t instanceof Tensor, () => `${op}: inputs[${i}] is not a Tensor`));
  return list;
}

function options(op: string, opts: NumericalGradOptions): { eps: number; method: NumericalMethod } {
  const method = opts.method ?? 'central';
  check(method in defaultEps, () => `${op}: method must be 'central', 'forward' or 'complex-step', got '${String(method)}'`);
  const eps = opts.eps ?? defaultEps[method];
  check(typeof eps === 'number' && eps > 0 && Number.isFinite(eps), () => `${op}: eps must be a positive number, got ${String(eps)}`);
  return { eps, method };
}

function evaluate(op: string, f: Fn, xs: Tensor[]): Tensor {
  const out = noGrad(() => f(...xs));
  check(out instanceof Tensor, () => `${op}: f must return a Tensor, got ${typeof out}`);
  return out;
}

/** Column k of d f / d xs[which] by the chosen finite difference (or complex step). */
function numericColumn(op: string, f: Fn, xs: Tensor[], which: number, k: number, eps: number, method: NumericalMethod, base: Tensor | null): Float64Array {
  const x = xs[which];
  const shifted = (delta: number): Tensor => {
    const data = x.data.slice();
    data[k] += delta;
    const copy = xs.slice();
    copy[which] = new Tensor(data, x.shape);
    return evaluate(op, f, copy);
  };
  if (method === 'complex-step') {
    const copy = xs.slice();
    const z = new Tensor(x.data.slice(), x.shape);
    z._imag = allocate(x.dtype, x.size);
    z._imag[k] = eps;
    copy[which] = z;
    const out = withComplexMode(() => evaluate(op, f, copy));
    const im = out._imag;
    return Float64Array.from({ length: out.size }, (_, j) => (im === null ? 0 : im[j] / eps));
  }
  const plus = shifted(eps).data;
  const minus = method === 'central' ? shifted(-eps).data : base!.data;
  const h = method === 'central' ? 2 * eps : eps;
  return Float64Array.from({ length: plus.length }, (_, j) => (plus[j] - minus[j]) / h);
}

/** Jacobian [...out.shape, ...x.shape] of f by xs[which], numerically. */
function numericJacobian(op: string, f: Fn, xs: Tensor[], which: number, eps: number, method: NumericalMethod): Tensor {
  const base = evaluate(op, f, xs);
  const x = xs[which];
  const jac = new Float64Array(base.size * x.size);
  for (let k = 0; k < x.size; k++) {
    const col = numericColumn(op, f, xs, which, k, eps, method, base);
    for (let j = 0; j < base.size; j++) jac[j * x.size + k] = col[j];
  }
  return new Tensor(jac, [...base.shape, ...x.shape]);
}

/**
 * Numerical Jacobians of f by each input, shape [...f(...).shape, ...input.shape] (the
 * gradient itself for a scalar f): `my.autograd.numericalGrad((x) => x.exp().sum(), [x])`.
 */
export function numericalGrad(f: Fn, inputs: Tensor | readonly Tensor[], opts: NumericalGradOptions = {}): Tensor[] {
  const xs = inputList('autograd.numericalGrad', inputs);
  const { eps, method } = options('autograd.numericalGrad', opts);
  return xs.map((_, i) => numericJacobian('autograd.numericalGrad', f, xs, i, eps, method));
}

/** Analytic Jacobians by reverse mode, one backward per output element. */
function analyticJacobians(f: Fn, xs: Tensor[], checked: number[]): Tensor[] {
  const args = xs.slice();
  const vars = checked.map((i) => (args[i] = variable(xs[i])));
  const out = f(...args);
  const rows: Tensor[][] = vars.map(() => []);
  for (let j = 0; j < out.size; j++) gradsOf(out, vars, oneHot(out, j), false).forEach((g, k) => rows[k].push(g));
  return vars.map((v, k) => assemble(rows[k], out.shape, v));
}

function multiIndex(shape: readonly number[], flat: number): string {
  const strides = stridesOf(shape);
  return fmtShape(strides.map((s, d) => Math.floor(flat / s) % shape[d]));
}

/**
 * Compares f's analytic Jacobians (reverse mode) with numerical ones for every float64 input
 * that requires grad; returns true or throws naming the input, the index and both values:
 * `my.autograd.gradcheck((x) => x.tanh(), [x], { method: 'complex-step' })`.
 */
export function gradcheck(f: Fn, inputs: Tensor | readonly Tensor[], opts: GradcheckOptions = {}): true {
  const op = 'autograd.gradcheck';
  check(typeof f === 'function', () => `${op}: f must be a function`);
  const xs = inputList(op, inputs);
  const { eps, method } = options(op, opts);
  const atol = opts.atol ?? 1e-5, rtol = opts.rtol ?? 1e-3;
  const checked = xs.flatMap((x, i) => (x.requiresGrad ? [i] : []));
  check(checked.length > 0, () => `${op}: no input requires grad; set requiresGrad on the inputs to check`);
  for (const i of checked) {
    check(xs[i].dtype === 'float64', () => `${op}: inputs[${i}] is ${xs[i].dtype}; gradcheck needs float64 inputs (use x.to('float64'))`);
  }
  const analytic = analyticJacobians(f, xs, checked);
  checked.forEach((i, k) => {
    const numeric = numericJacobian(op, f, xs, i, eps, method);
    const a = analytic[k].data, n = numeric.data, x = xs[i];
    for (let e = 0; e < a.length; e++) {
      if (Math.abs(a[e] - n[e]) <= atol + rtol * Math.abs(n[e])) continue;
      const outIdx = Math.floor(e / x.size), inIdx = e % x.size;
      const outShape = numeric.shape.slice(0, numeric.ndim - x.ndim);
      throw new Error(
        `${op}: gradient mismatch for input ${i} ${fmtShape(x.shape)} at index ${multiIndex(x.shape, inIdx)} ` +
          `(output element ${multiIndex(outShape, outIdx)}): analytic ${a[e]}, numeric ${n[e]} ` +
          `(method ${method}, eps ${eps}, atol ${atol}, rtol ${rtol})`,
      );
    }
  });
  return true;
}

/** A fixed, irregular cotangent: reproducible without touching the global RNG. */
function probe(like: Tensor): Tensor {
  const data = allocate(like.dtype, like.size);
  for (let i = 0; i < data.length; i++) data[i] = 0.5 + ((i * 0.6180339887498949) % 1);
  return new Tensor(data, like.shape);
}

/**
 * Second-order check: gradcheck of x ↦ (uᵀ ∂f/∂x) for a fixed cotangent u, i.e. the gradient
 * of the gradient against numerical differences of the (analytic) gradient.
 */
export function gradgradcheck(f: Fn, inputs: Tensor | readonly Tensor[], opts: GradcheckOptions = {}): true {
  const xs = inputList('autograd.gradgradcheck', inputs);
  const checked = xs.flatMap((x, i) => (x.requiresGrad ? [i] : []));
  // Numerical differences call this with plain tensors under noGrad: it makes its own
  // variables and records a graph regardless, to take the inner gradient.
  const firstOrder = (...args: Tensor[]): Tensor => withGradMode(true, () => {
    const full = args.slice();
    const vars = checked.map((i) => (full[i] = args[i].requiresGrad ? args[i] : variable(args[i])));
    const out = f(...full);
    const grads = gradsOf(out, vars, probe(out), true);
    return concat(grads.map((g) => reshape(g, [-1])), 0);
  });
  return gradcheck(firstOrder, xs, opts);
}
