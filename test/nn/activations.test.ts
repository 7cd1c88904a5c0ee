import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { describeBackends, expectClose } from '../helpers.js';
import { expectGradcheck, expectGradgradcheck } from './gradcheck.js';

const golden = JSON.parse(readFileSync(new URL('../goldens/nn.json', import.meta.url), 'utf8'));
const F = my.nn.functional;

/** Each golden's myelin counterpart (functional form). */
const activations: Record<string, (x: Tensor) => Tensor> = {
  relu: F.relu,
  leakyRelu: (x) => F.leakyRelu(x, { negativeSlope: 0.1 }),
  leakyReluNegative: (x) => F.leakyRelu(x, { negativeSlope: -0.2 }),
  elu: (x) => F.elu(x, { alpha: 1.3 }),
  selu: F.selu,
  gelu: (x) => F.gelu(x),
  geluTanh: (x) => F.gelu(x, { approximate: 'tanh' }),
  sigmoid: F.sigmoid,
  tanh: F.tanh,
  softplus: (x) => F.softplus(x),
  softplusBeta: (x) => F.softplus(x, { beta: 2, threshold: 10 }),
  softsign: F.softsign,
  silu: F.silu,
  mish: F.mish,
  hardtanh: (x) => F.hardtanh(x, { minVal: -2, maxVal: 1.5 }),
  logSigmoid: F.logSigmoid,
  prelu: (x) => F.prelu(x, my.tensor([0.25], { dtype: x.dtype })),
  rreluEval: (x) => F.rrelu(x, { lower: 0.1, upper: 0.3 }),
  sinc: F.sinc,
};

/** Smooth points (away from kinks) for gradient checks. */
const smoothPoints = [-3.1, -1.2, -0.4, 0.3, 0.9, 2.2];

describeBackends('activations', () => {
  for (const [name, fn] of Object.entries(activations)) {
    it(`${name}: values and gradients match PyTorch (float64), including large |x|`, () => {
      const x = my.tensor(golden.x, { dtype: 'float64', requiresGrad: true });
      const y = fn(x);
      expectClose(y, golden.activations[name].y, { atol: 1e-12, rtol: 1e-9 });
      y.sum().backward();
      expectClose(x.grad!, golden.activations[name].dy, { atol: 1e-12, rtol: 1e-9 });
    });

    it(`${name}: float32 values stay finite and close`, () => {
      const y = fn(my.tensor(golden.x));
      expect(y.dtype).toBe('float32');
      expectClose(y, golden.activations[name].y, { atol: 1e-6, rtol: 1e-5 });
    });

    it(`${name}: gradcheck and second derivatives (float64)`, () => {
      const x = my.tensor(smoothPoints, { dtype: 'float64' });
      expectGradcheck(fn, [x]);
      expectGradgradcheck(fn, [x]);
    });
  }

  it('softmax and logSoftmax match PyTorch along either dim, with logits of ±1000', () => {
    const m = my.tensor(golden.matrix, { dtype: 'float64' });
    expectClose(F.softmax(m, { dim: 1 }), golden.softmax1, { atol: 1e-14 });
    expectClose(F.logSoftmax(m, { dim: 1 }), golden.logSoftmax1, { atol: 1e-12 });
    expectClose(F.softmax(m, { dim: 0 }), golden.softmax0, { atol: 1e-14 });
    const small = my.tensor([[0.3, -1.2, 2.0], [0.5, 0.1, -0.7]], { dtype: 'float64' });
    expectGradgradcheck((t) => F.logSoftmax(t, { dim: 1 }), [small]);
    expectGradgradcheck((t) => F.softmax(t, { dim: 0 }), [small]);
  });

  it('softplus and logSigmoid are exact far out in float32 (no overflow to inf, no rounding to 0)', () => {
    const x = my.tensor([-80, 80]);
    expectClose(F.softplus(x), [Math.exp(-80), 80], { atol: 0, rtol: 1e-6 });
    expectClose(F.logSigmoid(x), [-80, -Math.exp(-80)], { atol: 0, rtol: 1e-6 });
  });

  it('step is 1 for x >= 0, else 0, with a zero gradient everywhere', () => {
    const x = my.tensor([-2, -1e-9, 0, 3], { requiresGrad: true });
    const y = F.step(x);
    expectClose(y, [0, 0, 1, 1], { atol: 0 });
    y.sum().backward();
    expectClose(x.grad!, [0, 0, 0, 0], { atol: 0 });
  });

  it('sinc has value 1, slope 0 and curvature -1/3 at 0', () => {
    const x = my.tensor([0], { dtype: 'float64', requiresGrad: true });
    const y = F.sinc(x);
    expectClose(y, [1], { atol: 0 });
    const [d1] = my.autograd.grad(y.sum(), [x], { createGraph: true });
    expectClose(d1, [0], { atol: 0 });
    const [d2] = my.autograd.grad(d1.sum(), [x]);
    expectClose(d2, [-1 / 3], { atol: 1e-12 });
  });

  it('rrelu draws seeded slopes in [lower, upper] while training', () => {
    my.manualSeed(3);
    const x = my.full([1000], -1, { dtype: 'float64' });
    const a = F.rrelu(x, { lower: 0.1, upper: 0.3, training: true });
    const slopes = Array.from(a.data, (v) => -v);
    expect(Math.min(...slopes)).toBeGreaterThanOrEqual(0.1);
    expect(Math.max(...slopes)).toBeLessThanOrEqual(0.3);
    expect(Math.abs(slopes.reduce((s, v) => s + v, 0) / 1000 - 0.2)).toBeLessThan(0.01);
    my.manualSeed(3);
    expectClose(F.rrelu(x, { lower: 0.1, upper: 0.3, training: true }), a, { atol: 0 });
    expectClose(F.rrelu(my.tensor([2, -2]), { lower: 0.1, upper: 0.3, training: true }).narrow(0, 0, 1), [2]);
  });

  it('bad options name the function and the value', () => {
    const x = my.tensor([1, 2]);
    expect(() => F.leakyRelu(x, { negativeSlope: NaN })).toThrow(/leakyRelu: negativeSlope must be a finite number, got NaN/);
    expect(() => F.gelu(x, { approximate: 'fast' as 'tanh' })).toThrow(/gelu: approximate must be 'none' or 'tanh'/);
    expect(() => F.hardtanh(x, { minVal: 2, maxVal: 1 })).toThrow(/hardtanh: minVal 2 must not exceed maxVal 1/);
    expect(() => F.softplus(x, { beta: 0 })).toThrow(/softplus: beta must be nonzero/);
    expect(() => F.relu([1, 2] as unknown as Tensor)).toThrow(/relu: input must be a Tensor, got an array/);
  });
});
