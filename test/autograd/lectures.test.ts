/** The lecture notes' worked examples of differentiation, each against its closed form. */
import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { describeBackends, expectClose } from '../helpers.js';

const f64 = (data: any, requiresGrad = false) => my.tensor(data, { dtype: 'float64', requiresGrad });
const tight = { atol: 1e-12, rtol: 1e-12 };
const sym = (m: number[][]) => f64(m.map((r, i) => r.map((v, j) => (v + m[j][i]) / 2)));

describeBackends('lecture examples', () => {
  it('∇ (xᵀAx)(xᵀBx) = 2(xᵀBx)Ax + 2(xᵀAx)Bx for symmetric A, B', () => {
    const A = sym([[2, 1, 0], [3, 1, -1], [0, 2, 4]]), B = sym([[1, 0, 2], [0, 3, 1], [-2, 1, 1]]);
    const x = f64([0.5, -1, 2], true);
    const quad = (M: Tensor, v: Tensor) => v.matmul(M.matmul(v));
    quad(A, x).mul(quad(B, x)).backward();
    const xd = x.detach();
    const expected = A.matmul(xd).mul(quad(B, xd).mul(2)).add(B.matmul(xd).mul(quad(A, xd).mul(2)));
    expectClose(x.grad!, expected, tight);
  });

  it('||x||³: gradient 3||x||x, Hessian 3xxᵀ/||x|| + 3||x||I', () => {
    const xs = [1, -2, 0.5];
    const n = Math.hypot(...xs);
    const f = (t: Tensor) => t.square().sum().sqrt().pow(3);
    const [, [g]] = my.autograd.vjp(f, [f64(xs)]);
    expectClose(g, xs.map((v) => 3 * n * v), tight);
    const H = my.autograd.hessian(f, f64(xs));
    expectClose(H, xs.map((a, i) => xs.map((b, j) => (3 * a * b) / n + (i === j ? 3 * n : 0))), tight);
  });

  it('∇_X det(AXB) = det(AXB) Aᵀ (AXB)⁻ᵀ Bᵀ', () => {
    const A = f64([[1, 2, 0], [0, 1, 1], [1, 0, 3]]), B = f64([[2, 0, 1], [1, 1, 0], [0, 1, 1]]);
    const X = f64([[1, 0.5, 0], [0.2, 1, 0.1], [0, 0.3, 2]], true);
    const M = A.matmul(X).matmul(B);
    my.linalg.det(M).backward();
    const Md = M.detach();
    const expected = A.T.matmul(my.linalg.inv(Md).T).matmul(B.T).mul(my.linalg.det(Md));
    expectClose(X.grad!, expected, { atol: 1e-11, rtol: 1e-11 });
  });

  it('softmax regression: ∂W = (p - 1_y)xᵀ, ∂b = p - 1_y, ∂x = Wᵀ(p - 1_y)', () => {
    const W = f64([[0.2, -0.5, 1], [0.7, 0.1, -0.3], [-1, 0.4, 0.6], [0.3, 0.3, 0.3]], true);
    const b = f64([0.1, -0.2, 0, 0.3], true);
    const x = f64([1.5, -0.5, 2], true);
    const y = 2;
    const z = W.matmul(x).add(b);
    const logp = z.sub(z.exp().sum().log());
    logp.narrow(0, y, 1).sum().neg().backward();
    const zd = z.detach().toArray() as number[];
    const e = zd.map(Math.exp), s = e.reduce((p, v) => p + v, 0);
    const r = e.map((v, i) => v / s - (i === y ? 1 : 0)); // p - 1_y
    const xd = [1.5, -0.5, 2];
    expectClose(W.grad!, r.map((ri) => xd.map((xj) => ri * xj)), tight);
    expectClose(b.grad!, r, tight);
    expectClose(x.grad!, [0, 1, 2].map((j) => r.reduce((p, ri, i) => p + ri * (W.toArray() as number[][])[i][j], 0)), tight);
  });

  it('toy chain b3 + w3 cos(b2 + w2 exp(b1 + w1 sin(b0 + w0 x))) under squared loss', () => {
    const v = { b0: 0.1, w0: 0.7, b1: -0.3, w1: 1.2, b2: 0.4, w2: -0.8, b3: 0.5, w3: 1.5 };
    const xi = 0.9, yi = 0.25;
    const p = Object.fromEntries(Object.entries(v).map(([k, val]) => [k, f64(val, true)])) as Record<keyof typeof v, Tensor>;
    const f0 = p.b0.add(p.w0.mul(xi)), h1 = f0.sin(), f1 = p.b1.add(p.w1.mul(h1)), h2 = f1.exp();
    const f2 = p.b2.add(p.w2.mul(h2)), h3 = f2.cos(), f3 = p.b3.add(p.w3.mul(h3));
    f3.sub(yi).square().backward();
    // The backward pass by hand, as the lecture writes it.
    const F0 = v.b0 + v.w0 * xi, H1 = Math.sin(F0), F1 = v.b1 + v.w1 * H1, H2 = Math.exp(F1);
    const F2 = v.b2 + v.w2 * H2, H3 = Math.cos(F2), F3 = v.b3 + v.w3 * H3;
    const dF3 = 2 * (F3 - yi), dF2 = dF3 * v.w3 * -Math.sin(F2), dF1 = dF2 * v.w2 * H2, dF0 = dF1 * v.w1 * Math.cos(F0);
    const expected = { b3: dF3, w3: dF3 * H3, b2: dF2, w2: dF2 * H2, b1: dF1, w1: dF1 * H1, b0: dF0, w0: dF0 * xi };
    for (const [k, g] of Object.entries(expected)) expectClose(p[k as keyof typeof v].grad!, g, tight);
  });

  it('each partial of (x1 x2 sin x3 + exp(x1 x2)) / x3 by forward mode', () => {
    const [a, b, c] = [1.2, -0.7, 0.9];
    const f = (x1: Tensor, x2: Tensor, x3: Tensor) => x1.mul(x2).mul(x3.sin()).add(x1.mul(x2).exp()).div(x3);
    const e = Math.exp(a * b);
    const partials = [
      (b * Math.sin(c) + b * e) / c,
      (a * Math.sin(c) + a * e) / c,
      (a * b * Math.cos(c)) / c - (a * b * Math.sin(c) + e) / (c * c),
    ];
    for (let i = 0; i < 3; i++) {
      const tangents = [0, 1, 2].map((j) => f64(j === i ? 1 : 0));
      const [y, dy] = my.autograd.jvp(f, [f64(a), f64(b), f64(c)], tangents);
      expectClose(y, (a * b * Math.sin(c) + e) / c, tight);
      expectClose(dy, partials[i], { atol: 1e-14, rtol: 1e-14 });
    }
  });

  it('complex step at eps = 1e-20 matches the analytic gradient to 1e-13, where central differences lose every digit', () => {
    // Squire and Trapp's test function e^x / sqrt(sin³x + cos³x).
    const f = (t: Tensor) => t.exp().div(t.sin().pow(3).add(t.cos().pow(3)).sqrt()).sum();
    const x = f64([1.5, 0.3, -0.4], true);
    const [analytic] = my.autograd.grad(f(x), x);
    const [complexStep] = my.autograd.numericalGrad(f, [x.detach()], { method: 'complex-step', eps: 1e-20 });
    expectClose(complexStep, analytic, { atol: 0, rtol: 1e-13 });
    const [central] = my.autograd.numericalGrad(f, [x.detach()], { method: 'central', eps: 1e-20 });
    expect(Array.from(central.data)).toEqual([0, 0, 0]); // x ± 1e-20 rounds back to x
    expect(my.autograd.gradcheck(f, [x], { method: 'complex-step', eps: 1e-20, atol: 0, rtol: 1e-13 })).toBe(true);
  });
});
