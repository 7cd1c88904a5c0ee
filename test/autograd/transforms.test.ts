import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { mode } from '../../src/autograd/mode.js';
import { describeBackends, expectClose } from '../helpers.js';

const f64 = (data: any, requiresGrad = false) => my.tensor(data, { dtype: 'float64', requiresGrad });
const A = () => f64([[2, 1, 0], [1, 3, 1], [0, 1, 4]]);

describeBackends('functional transforms', () => {
  it('jvp runs one forward pass, no reverse mode underneath', () => {
    const x = f64([0.5, -1, 2]), v = f64([1, 2, 3]);
    let recorded = 0;
    const f = (t: Tensor) => {
      const y = t.sin().mul(t);
      if (y.gradFn !== null) recorded++;
      return y;
    };
    const [y, dy] = my.autograd.jvp(f, [x], [v]);
    expect(recorded).toBe(0);
    expectClose(y, [0.5, -1, 2].map((a) => a * Math.sin(a)));
    expectClose(dy, [0.5, -1, 2].map((a, i) => (Math.sin(a) + a * Math.cos(a)) * [1, 2, 3][i]), { atol: 1e-12 });
    expect(x._tangent).toBeNull();
    expect(mode.forward).toBe(0);
  });

  it('jvp of an output independent of the input is zero; tangent shape is checked', () => {
    const [, dy] = my.autograd.jvp(() => my.ones([2], { dtype: 'float64' }), [f64([1])], [f64([1])]);
    expectClose(dy, [0, 0]);
    expect(() => my.autograd.jvp((t) => t, [f64([1, 2])], [f64([1])])).toThrow(
      'autograd.jvp: tangents[0] has shape [1] but primals[0] has shape [2]');
  });

  it('vjp gives uᵀJ for each primal', () => {
    const a = f64([1, 2]), b = f64([3, 4]);
    const [y, [ga, gb]] = my.autograd.vjp((p, q) => p.mul(q), [a, b], f64([1, -1]));
    expectClose(y, [3, 8]);
    expectClose(ga, [3, -4]);
    expectClose(gb, [1, -2]);
    expect(() => my.autograd.vjp((p) => p.mul(2), [a])).toThrow(
      'autograd.vjp: f returned shape [2]; pass cotangents for outputs with more than one element');
  });

  it('jacobian of A x is A; of elementwise sin is diag(cos)', () => {
    const x = f64([0.1, 0.2, 0.3]);
    expectClose(my.autograd.jacobian((t: Tensor) => A().matmul(t), x), A());
    const J = my.autograd.jacobian((t: Tensor) => t.sin(), x);
    expectClose(J, [[Math.cos(0.1), 0, 0], [0, Math.cos(0.2), 0], [0, 0, Math.cos(0.3)]]);
    const [J1, J2] = my.autograd.jacobian((p: Tensor, q: Tensor) => p.mul(q).sum(), [f64([1, 2]), f64([3, 4])]);
    expectClose(J1, [3, 4]);
    expectClose(J2, [1, 2]);
  });

  it('hessian of a quadratic form is A + Aᵀ; hvp matches H v without forming H', () => {
    const a = f64([[1, 2], [0, 3]]);
    const f = (t: Tensor) => t.matmul(a.matmul(t));
    const x = f64([0.3, -0.2]);
    expectClose(my.autograd.hessian(f, x), [[2, 2], [2, 6]]);
    const h = (t: Tensor) => t.exp().mul(t.sin()).sum();
    const H = my.autograd.hessian(h, x);
    const v = f64([0.7, -1.1]);
    const [y, hv] = my.autograd.hvp(h, x, v);
    expectClose(y, h(x));
    expectClose(hv, H.matmul(v), { atol: 1e-12 });
  });
});
