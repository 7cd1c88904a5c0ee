import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import { describeBackends, expectClose } from '../helpers.js';

const f64 = (data: any, requiresGrad = true) => my.tensor(data, { dtype: 'float64', requiresGrad });

describeBackends('reverse-mode engine', () => {
  it('accumulates into leaves across backward calls; non-leaves keep no grad', () => {
    const x = f64([1, 2, 3]);
    const y = x.mul(x);
    y.sum().backward();
    expectClose(x.grad!, [2, 4, 6]);
    x.mul(3).sum().backward();
    expectClose(x.grad!, [5, 7, 9]);
    expect(y.grad).toBeNull();
    expect(y.isLeaf).toBe(false);
    expect(x.isLeaf).toBe(true);
  });

  it('sums gradients of a tensor used several times (diamond)', () => {
    const x = f64(2);
    const a = x.exp(), b = a.mul(x), c = a.add(b).mul(a);
    c.backward();
    // c = e^{2x}(1 + x): dc/dx = e^{2x}(3 + 2x)
    expectClose(x.grad!, Math.exp(4) * 7, { atol: 1e-10, rtol: 1e-12 });
  });

  it('explicit gradOutput for non-scalar outputs', () => {
    const x = f64([1, 2]);
    x.square().backward(my.tensor([1, 10], { dtype: 'float64' }));
    expectClose(x.grad!, [2, 40]);
  });

  it('retainGraph allows a second backward; without it the graph is freed and backward throws', () => {
    const x = f64([1, 2]);
    const y = x.exp().sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expectClose(x.grad!, [2 * Math.E, 2 * Math.exp(2)]);
    expect(() => y.backward()).toThrow(/backward: trying to backward through the graph a second time \(sum's saved tensors were freed\)/);
  });

  it('noGrad records nothing; detach cuts the graph but shares data', () => {
    const x = f64([1, 2]);
    const y = my.noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    const d = x.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.data).toBe(x.data);
    const z = x.mul(d).sum();
    z.backward();
    expectClose(x.grad!, [1, 2]);
  });

  it('grad returns gradients without touching .grad, to any order with createGraph', () => {
    const x = f64(1.5);
    const y = x.pow(4);
    const [g1] = my.autograd.grad(y, x, { createGraph: true });
    const [g2] = my.autograd.grad(g1, x, { createGraph: true });
    const [g3] = my.autograd.grad(g2, x, { createGraph: true });
    const [g4] = my.autograd.grad(g3, x);
    expectClose(g1, 4 * 1.5 ** 3);
    expectClose(g2, 12 * 1.5 ** 2);
    expectClose(g3, 24 * 1.5);
    expectClose(g4, 24);
    expect(x.grad).toBeNull();
  });

  it('grad of an unused input: Error, or zeros with allowUnused', () => {
    const x = f64([1, 2]), unused = f64([3]);
    const y = x.sum();
    expect(() => my.autograd.grad(y, [x, unused], { retainGraph: true })).toThrow(
      'autograd.grad: inputs[1] [1] was not used to compute the outputs; pass allowUnused: true to get zeros');
    const [gx, gu] = my.autograd.grad(y, [x, unused], { allowUnused: true });
    expectClose(gx, [1, 1]);
    expectClose(gu, [0]);
  });

  it('grad w.r.t. an intermediate tensor', () => {
    const x = f64([1, 2]);
    const h = x.mul(3);
    const y = h.square().sum();
    const [gh] = my.autograd.grad(y, h);
    expectClose(gh, [6, 12]);
  });

  it('bad input: non-scalar backward, outputs without grad, shapes of gradOutputs', () => {
    const x = f64([1, 2]);
    expect(() => x.mul(2).backward()).toThrow(
      'backward: grad can be implicitly created only for one-element outputs; output 0 has shape [2], pass gradOutputs');
    expect(() => my.tensor([1, 2]).sum().backward()).toThrow(/backward: element 0 of the outputs does not require grad and has no gradFn/);
    expect(() => x.mul(2).backward(my.zeros([3], { dtype: 'float64' }))).toThrow('backward: gradOutputs[0] must be a Tensor of shape [2], got [3]');
    expect(() => my.autograd.grad(x.sum(), my.tensor([1]))).toThrow('autograd.grad: inputs[0] [1] does not require grad');
  });

  it('an in-place change to a tensor saved for backward throws at backward', () => {
    const x = f64([1, 2]);
    const a = x.exp();
    const b = a.mul(a).sum();
    a.add_(1);
    expect(() => b.backward()).toThrow(/mul: input 0 \(shape \[2\]\), saved for backward, was modified in place \(version 0 -> 1\)/);
    expect(() => x.add_(1)).toThrow('add_: a leaf tensor [2] that requires grad cannot be changed in place while gradients are recorded; wrap the update in my.noGrad(...)');
  });

  it('requiresGrad is settable on leaves only', () => {
    const x = my.tensor([1]);
    x.requiresGrad = true;
    expect(() => { x.mul(2).requiresGrad = false; }).toThrow(/requiresGrad: cannot turn off requiresGrad of a non-leaf tensor \[1\]; use detach\(\)/);
  });
});
