import { expect } from 'vitest';
import * as my from '../../src/index.js';
import type { Tensor } from '../../src/index.js';

type Fn = (...xs: Tensor[]) => Tensor;

/** A fixed pseudo-random float64 tensor (for cotangents), independent of the global RNG. */
export function fixedRandom(shape: readonly number[], seed = 1): Tensor {
  let s = seed >>> 0;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 32 - 0.5;
  }
  return my.tensor(data, { shape: [...shape], dtype: 'float64' });
}

/** Σ f(xs)·v: a scalar whose gradient is the VJP of f with cotangent v. */
function scalarize(f: Fn, v: Tensor | null): Fn {
  return (...xs) => {
    const y = f(...xs);
    return my.sum(v === null ? y : my.mul(y, v));
  };
}

/** Central differences of a scalar function, in float64. */
function numeric(f: Fn, inputs: Tensor[], eps: number): Float64Array[] {
  return inputs.map((x) => {
    const out = new Float64Array(x.size);
    for (let i = 0; i < x.size; i++) {
      const old = x.data[i];
      x.data[i] = old + eps;
      const hi = f(...inputs).item();
      x.data[i] = old - eps;
      const lo = f(...inputs).item();
      x.data[i] = old;
      out[i] = (hi - lo) / (2 * eps);
    }
    return out;
  });
}

/** Asserts that reverse-mode gradients of f (float64 inputs) match central differences. */
export function expectGradcheck(f: Fn, inputs: Tensor[], opts: { eps?: number; atol?: number; rtol?: number } = {}): void {
  const { eps = 1e-6, atol = 1e-6, rtol = 1e-5 } = opts;
  for (const x of inputs) expect(x.dtype).toBe('float64');
  const s = scalarize(f, fixedRandom(f(...inputs).shape, 7));
  const leaves = inputs.map((x) => { const l = x.detach(); l.requiresGrad = true; return l; });
  const out = s(...leaves);
  // A piecewise-linear function's first derivative is constant: its own gradient is zero.
  const analytic = out.requiresGrad ? my.autograd.grad(out, leaves, { allowUnused: true }) : leaves.map(() => null);
  const num = numeric(s, leaves, eps);
  leaves.forEach((_, k) => {
    for (let i = 0; i < num[k].length; i++) {
      const g = analytic[k], a = g ? g.data[i] : 0, n = num[k][i];
      if (!(Math.abs(a - n) <= atol + rtol * Math.abs(n))) {
        throw new Error(`gradcheck: input ${k} index ${i}: analytic ${a}, numeric ${n}`);
      }
    }
  });
}

/**
 * Second derivatives: gradcheck of x ↦ Σ_k ∇_k(Σ f·v)·u_k, whose gradient is a
 * Hessian-vector product computed through createGraph.
 */
export function expectGradgradcheck(f: Fn, inputs: Tensor[], opts: { eps?: number; atol?: number; rtol?: number } = {}): void {
  const v = fixedRandom(f(...inputs).shape, 11);
  const us = inputs.map((x, k) => fixedRandom(x.shape, 13 + k));
  const s = scalarize(f, v);
  const firstOrder: Fn = (...xs) => {
    const leaves = xs.map((x) => { if (x.requiresGrad) return x; const l = x.detach(); l.requiresGrad = true; return l; });
    const grads = my.autograd.grad(s(...leaves), leaves, { createGraph: true, allowUnused: true });
    let total: Tensor = my.tensor(0, { dtype: 'float64' });
    grads.forEach((g, k) => { if (g) total = my.add(total, my.sum(my.mul(g, us[k]))); });
    return total;
  };
  expectGradcheck(firstOrder, inputs, { atol: 1e-5, rtol: 1e-4, ...opts });
}
