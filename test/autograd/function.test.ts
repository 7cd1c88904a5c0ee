import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import type { FunctionCtx } from '../../src/autograd/index.js';
import { describeBackends, expectClose } from '../helpers.js';

const f64 = (data: any, requiresGrad = true) => my.tensor(data, { dtype: 'float64', requiresGrad });

/** x³ with a backward written with ops, so it is differentiable again. */
class Cube extends my.autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.pow(3);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    return g.mul(x.square().mul(3));
  }
  static jvp(ctx: FunctionCtx, t: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    return t.mul(x.square().mul(3));
  }
}

/** Two outputs: the sum and the product of two inputs, plus a non-tensor scale. */
class SumProd extends my.autograd.Function {
  static override forward(ctx: FunctionCtx, a: Tensor, b: Tensor, scale: number): Tensor[] {
    ctx.saveForBackward(a, b);
    (ctx as any).scale = scale;
    return [a.add(b).mul(scale), a.mul(b)];
  }
  static override backward(ctx: FunctionCtx, gs: Tensor, gp: Tensor): Tensor[] {
    const [a, b] = ctx.savedTensors;
    const s = (ctx as any).scale as number;
    return [gs.mul(s).add(gp.mul(b)), gs.mul(s).add(gp.mul(a))];
  }
}

class NoJvp extends my.autograd.Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): Tensor { return x.mul(2); }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor { return g.mul(2); }
}

describeBackends('autograd.Function', () => {
  it('forward records no inner graph; backward gives the gradient; gradcheck passes', () => {
    const x = f64([0.5, -1.5, 2]);
    const y = Cube.apply(x);
    expect(y.gradFn!.name).toBe('Cube');
    expectClose(y, [0.125, -3.375, 8]);
    y.sum().backward();
    expectClose(x.grad!, [0.75, 6.75, 12]);
    expect(my.autograd.gradcheck((t: Tensor) => Cube.apply(t), [f64([0.3, 1.2])])).toBe(true);
  });

  it('a backward written with ops is differentiable (second derivative 6x)', () => {
    const x = f64([0.5, 2]);
    const [g] = my.autograd.grad(Cube.apply(x).sum(), x, { createGraph: true });
    const [h] = my.autograd.grad(g.sum(), x);
    expectClose(h, [3, 12]);
  });

  it('multi-output with a non-tensor argument', () => {
    const a = f64([1, 2]), b = f64([3, 4]);
    const [s, p] = SumProd.apply(a, b, 0.5);
    expectClose(s, [2, 3]);
    expectClose(p, [3, 8]);
    s.sum().add(p.sum()).backward();
    expectClose(a.grad!, [3.5, 4.5]);
    expectClose(b.grad!, [1.5, 2.5]);
    // Only one output used: the other gets a zero gradient.
    const a2 = f64([1, 2]), b2 = f64([3, 4]);
    SumProd.apply(a2, b2, 2)[1].sum().backward();
    expectClose(a2.grad!, [3, 4]);
  });

  it('forward mode uses the static jvp, and says so when there is none', () => {
    const [, dy] = my.autograd.jvp((t) => Cube.apply(t), [f64([2], false)], [f64([1], false)]);
    expectClose(dy, [12]);
    expect(() => my.autograd.jvp((t) => NoJvp.apply(t), [f64([2], false)], [f64([1], false)])).toThrow(
      'NoJvp: forward-mode (jvp) needs a static jvp(ctx, ...tangents) on the Function, which it does not define');
  });

  it('in-place change of a saved tensor, and a second backward, throw clear Errors', () => {
    const x = f64([1, 2]);
    const h = x.mul(1);
    const y = Cube.apply(h).sum();
    my.noGrad(() => h.add_(1));
    expect(() => y.backward()).toThrow('Cube: saved tensor 0 (shape [2]) was modified in place after saveForBackward (version 0 -> 1); clone it before changing it');
    const z = Cube.apply(x).sum();
    z.backward();
    expect(() => z.backward()).toThrow(/trying to backward through the graph a second time/);
  });

  it('a backward returning the wrong shape is reported', () => {
    class Bad extends my.autograd.Function {
      static override forward(_ctx: FunctionCtx, x: Tensor): Tensor { return x.sum(); }
      static override backward(_ctx: FunctionCtx, g: Tensor): Tensor { return g; }
    }
    expect(() => Bad.apply(f64([1, 2])).backward()).toThrow('Bad.backward: gradient 0 must be a Tensor of shape [2], got []');
  });
});
