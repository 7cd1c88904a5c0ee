import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import type { FunctionCtx } from '../../src/autograd/index.js';
import { describeBackends, expectClose } from '../helpers.js';

const f64 = (data: any, requiresGrad = true) => my.tensor(data, { dtype: 'float64', requiresGrad });

/** sin with a deliberately wrong derivative (1.1 cos x), to see gradcheck fail. */
class WrongSin extends my.autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor { ctx.saveForBackward(x); return x.sin(); }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor { return g.mul(ctx.savedTensors[0].cos().mul(1.1)); }
}

describeBackends('gradcheck and numericalGrad', () => {
  const f = (x: Tensor, y: Tensor) => x.exp().mul(y.sin()).div(x.square().add(1)).sum();

  for (const method of ['central', 'forward', 'complex-step'] as const) {
    it(`passes for a smooth function (${method})`, () => {
      const tol = method === 'forward' ? { atol: 1e-5, rtol: 1e-5 } : {};
      expect(my.autograd.gradcheck(f, [f64([0.2, -0.4]), f64([1.1, 0.3])], { method, ...tol })).toBe(true);
    });
  }

  it('numericalGrad returns the gradient of a scalar f, the Jacobian otherwise', () => {
    const x = f64([0.5, 1], false);
    const [g] = my.autograd.numericalGrad((t) => t.square().sum(), [x]);
    expectClose(g, [1, 2], { atol: 1e-8 });
    const [J] = my.autograd.numericalGrad((t) => t.mul(3), [x], { method: 'complex-step' });
    expectClose(J, [[3, 0], [0, 3]], { atol: 0, rtol: 1e-15 });
  });

  it('a wrong derivative fails, naming the input, the index and both values', () => {
    const x = f64([[0.1, 0.2], [0.3, 0.4]]);
    expect(() => my.autograd.gradcheck((t: Tensor) => WrongSin.apply(t), [x])).toThrow(
      /^autograd\.gradcheck: gradient mismatch for input 0 \[2,2\] at index \[0,0\] \(output element \[0,0\]\): analytic 1\.094\d+, numeric 0\.995\d+ \(method central/);
  });

  it('checks only the inputs that require grad, and refuses float32', () => {
    expect(my.autograd.gradcheck(f, [f64([0.2]), f64([0.7], false)])).toBe(true);
    expect(() => my.autograd.gradcheck(f, [f64([0.2], false), f64([0.7], false)])).toThrow('autograd.gradcheck: no input requires grad');
    expect(() => my.autograd.gradcheck((t) => t.sum(), [my.tensor([1], { requiresGrad: true })])).toThrow(
      "autograd.gradcheck: inputs[0] is float32; gradcheck needs float64 inputs (use x.to('float64'))");
    expect(() => my.autograd.gradcheck(f, [f64([1]), f64([1])], { method: 'backward' as any })).toThrow(
      "autograd.gradcheck: method must be 'central', 'forward' or 'complex-step', got 'backward'");
  });

  it('complex step refuses non-analytic ops with a clear Error', () => {
    for (const g of [(t: Tensor) => t.abs().sum(), (t: Tensor) => t.relu().sum(), (t: Tensor) => t.max(), (t: Tensor) => t.gt(0).mul(t).sum()]) {
      expect(() => my.autograd.gradcheck(g, [f64([0.5, -1])], { method: 'complex-step' })).toThrow(
        /^(abs|relu|max|gt): cannot be evaluated at complex inputs \(.+\); complex-step differentiation needs analytic ops only/);
    }
  });
});
