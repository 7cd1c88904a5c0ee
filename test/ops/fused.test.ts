import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { linearAct, softmaxCrossEntropy } from '../../src/ops/fused.js';
import type { FusedActivation } from '../../src/backend/backend.js';
import { describeBackends, expectClose } from '../helpers.js';
import { expectGradcheck, expectGradgradcheck, fixedRandom } from '../nn/gradcheck.js';

const F = my.nn.functional;

/** Each fused activation with its parameter and its composed (unfused) counterpart. */
const cases: [FusedActivation, number, (z: Tensor) => Tensor][] = [
  ['identity', 0, (z) => z],
  ['relu', 0, F.relu],
  ['leakyRelu', 0.1, (z) => my.where(my.gt(z, 0), z, my.mul(z, 0.1))],
  ['elu', 0.7, (z) => my.where(my.gt(z, 0), z, my.mul(my.sub(my.exp(z), 1), 0.7))],
  ['gelu', 0, (z) => F.gelu(z)],
  ['silu', 0, (z) => my.mul(z, my.sigmoid(z))],
  ['sigmoid', 0, my.sigmoid],
  ['tanh', 0, my.tanh],
];

const composed = (act: (z: Tensor) => Tensor) => (x: Tensor, w: Tensor, b: Tensor) => act(my.add(my.matmul(x, w.T), b));

describeBackends('fused linear + activation', () => {
  for (const [activation, param, act] of cases) {
    it(`${activation}: values and gradients equal the composed form, float32 and float64`, () => {
      for (const dtype of ['float32', 'float64'] as const) {
        const mk = (shape: number[], seed: number) => { const t = fixedRandom(shape, seed).mul(3).to(dtype); t.requiresGrad = true; return t; };
        const [x, w, b] = [mk([7, 5], 1), mk([6, 5], 2), mk([6], 3)];
        const [x2, w2, b2] = [x, w, b].map((t) => { const c = t.detach(); c.requiresGrad = true; return c; });
        const fused = linearAct(x, w, b, activation, param);
        const ref = composed(act)(x2, w2, b2);
        const tol = dtype === 'float32' ? { atol: 1e-5, rtol: 1e-4 } : { atol: 1e-12, rtol: 1e-10 };
        expectClose(fused, ref, tol);
        const v = fixedRandom(fused.shape, 4).to(dtype);
        fused.mul(v).sum().backward();
        ref.mul(v).sum().backward();
        expectClose(x.grad!, x2.grad!, tol);
        expectClose(w.grad!, w2.grad!, tol);
        expectClose(b.grad!, b2.grad!, tol);
      }
    });

    it(`${activation}: gradcheck, second derivatives and forward mode (float64)`, () => {
      const x = fixedRandom([4, 3], 5).mul(2), w = fixedRandom([5, 3], 6).mul(2), b = fixedRandom([5], 7);
      expectGradcheck((x, w, b) => linearAct(x, w, b, activation, param), [x, w, b]);
      expectGradgradcheck((x, w, b) => linearAct(x, w, b, activation, param), [x, w, b]);
      // Second derivatives agree with the composed form's, not only with finite differences.
      const hvp = (f: (x: Tensor, w: Tensor, b: Tensor) => Tensor) => {
        const xs = [x, w, b].map((t) => { const c = t.detach(); c.requiresGrad = true; return c; });
        const gs = my.autograd.grad(f(xs[0], xs[1], xs[2]).square().sum(), xs, { createGraph: true });
        return my.autograd.grad(gs[0].sum().add(gs[1].sum()), xs, { allowUnused: true });
      };
      const got = hvp((x, w, b) => linearAct(x, w, b, activation, param)), want = hvp(composed(act));
      got.forEach((g, i) => expectClose(g, want[i], { atol: 1e-10, rtol: 1e-8 }));
      const tx = fixedRandom([4, 3], 8), tw = fixedRandom([5, 3], 9), tb = fixedRandom([5], 10);
      const [, t1] = my.autograd.jvp((x, w, b) => linearAct(x, w, b, activation, param), [x, w, b], [tx, tw, tb]);
      const [, t2] = my.autograd.jvp(composed(act), [x, w, b], [tx, tw, tb]);
      expectClose(t1 as Tensor, t2 as Tensor, { atol: 1e-12, rtol: 1e-10 });
    });
  }

  it('no bias, and bad arguments name the op, the shapes and the value', () => {
    const x = fixedRandom([2, 3], 1), w = fixedRandom([4, 3], 2);
    expectClose(linearAct(x, w, null, 'tanh'), my.tanh(my.matmul(x, w.T)), { atol: 1e-14 });
    expect(() => linearAct(x, fixedRandom([4, 2], 3), null, 'relu')).toThrow(/linearAct: input \[2,3\] and weight \[4,2\]/);
    expect(() => linearAct(x, w, fixedRandom([3], 3), 'relu')).toThrow(/linearAct: bias \[3\] must have shape \[4\]/);
    expect(() => linearAct(x, w, null, 'swish' as FusedActivation)).toThrow(/linearAct: unknown activation 'swish'/);
    expect(() => linearAct(x, w, null, 'elu', -1)).toThrow(/linearAct: elu needs a finite parameter >= 0, got -1/);
    expect(() => linearAct(x, w.to('float32'), null, 'relu')).toThrow(/linearAct: dtypes differ/);
  });
});

describeBackends('fused softmax + cross-entropy', () => {
  const targets = new Int32Array([2, 0, 3, 3, 1]);
  const composedCe = (l: Tensor) => my.neg(my.gather(F.logSoftmax(l, { dim: 1 }), 1, my.tensor([[2], [0], [3], [3], [1]], { dtype: 'float64' })).reshape(-1));

  it('per-row losses and gradients equal log-softmax + gather, also for logits of ±1000', () => {
    const l = fixedRandom([5, 4], 3).mul(5);
    l.data[0] = 1000; l.data[5] = -1000;
    const a = l.detach(), b = l.detach();
    a.requiresGrad = true; b.requiresGrad = true;
    const fused = softmaxCrossEntropy(a, targets), ref = composedCe(b);
    expectClose(fused, ref, { atol: 1e-12, rtol: 1e-12 });
    fused.mean().backward();
    ref.mean().backward();
    expectClose(a.grad!, b.grad!, { atol: 1e-14 });
    // (softmax - onehot)/N for the mean.
    expectClose(a.grad!, F.softmax(l, { dim: 1 }).sub(my.tensor([[0, 0, 1, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 1], [0, 1, 0, 0]], { dtype: 'float64' })).div(5), { atol: 1e-15 });
  });

  it('gradcheck, second and third derivatives, forward mode', () => {
    const l = fixedRandom([5, 4], 4).mul(2);
    expectGradcheck((t) => softmaxCrossEntropy(t, targets), [l]);
    expectGradgradcheck((t) => softmaxCrossEntropy(t, targets), [l]);
    const h = (f: (t: Tensor) => Tensor) => my.autograd.hessian((t: Tensor) => f(t).sum(), l) as Tensor;
    expectClose(h((t) => softmaxCrossEntropy(t, targets)), h(composedCe), { atol: 1e-12 });
    const tangent = fixedRandom([5, 4], 5);
    const [, t1] = my.autograd.jvp((t: Tensor) => softmaxCrossEntropy(t, targets), [l], [tangent]);
    const [, t2] = my.autograd.jvp(composedCe, [l], [tangent]);
    expectClose(t1 as Tensor, t2 as Tensor, { atol: 1e-13 });
  });

  it('float32 matches float64 closely', () => {
    const l = fixedRandom([5, 4], 6).mul(4);
    expectClose(softmaxCrossEntropy(l.to('float32'), targets), softmaxCrossEntropy(l, targets), { atol: 1e-6, rtol: 1e-6 });
  });

  it('refuses targets out of range or of the wrong length', () => {
    const l = fixedRandom([2, 3], 1);
    expect(() => softmaxCrossEntropy(l, new Int32Array([0, 3]))).toThrow(/softmaxCrossEntropy: target 3 at position 1 is out of range for 3 classes/);
    expect(() => softmaxCrossEntropy(l, new Int32Array([0]))).toThrow(/expected an Int32Array of 2 targets, got 1/);
  });
});
