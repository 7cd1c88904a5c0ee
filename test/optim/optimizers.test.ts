import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { describeBackends, expectClose } from '../helpers.js';

/** Goldens from test/goldens/optim.py (PyTorch 1.13): parameters after each step given fixed gradients. */
interface OptimCase {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad' | 'Adadelta';
  options: Record<string, unknown>;
  groups: { params: number[]; options: Record<string, unknown> }[] | null;
  dtype: 'float32' | 'float64';
  shapes: number[][];
  init: number[][];
  grads: number[][][];
  history: number[][][];
  lrChanges: Record<string, number[]>;
}

const goldens = JSON.parse(readFileSync(new URL('../goldens/optim.json', import.meta.url), 'utf8')) as { optimizers: OptimCase[] };

const optimizers = { SGD: my.optim.SGD, Adam: my.optim.Adam, AdamW: my.optim.AdamW, RMSprop: my.optim.RMSprop, Adagrad: my.optim.Adagrad, Adadelta: my.optim.Adadelta };

function leaf(values: number[], shape: number[], dtype: 'float32' | 'float64'): Tensor {
  return my.tensor(Float64Array.from(values), { shape, dtype, requiresGrad: true });
}

function build(c: OptimCase, params: Tensor[]) {
  const Ctor = optimizers[c.optimizer] as unknown as new (p: unknown, o: unknown) => my.optim.Optimizer<{ lr: number }>;
  if (c.groups === null) return new Ctor(params, c.options);
  return new Ctor(c.groups.map((g) => ({ params: g.params.map((i) => params[i]), ...g.options })), c.options);
}

describeBackends('optimizers against PyTorch', () => {
  for (const c of goldens.optimizers) {
    it(`${c.name}: ${c.history.length} steps`, () => {
      const params = c.init.map((v, i) => leaf(v, c.shapes[i], c.dtype));
      const opt = build(c, params);
      // float64 leaves only rounding order to differ; float32 rounds per op in PyTorch, once per store here.
      const tol = c.dtype === 'float64' ? { atol: 1e-12, rtol: 1e-10 } : { atol: 2e-6, rtol: 2e-6 };
      c.history.forEach((expected, step) => {
        c.lrChanges[String(step)]?.forEach((lr, gi) => (opt.paramGroups[gi].lr = lr));
        params.forEach((p, i) => (p.grad = leaf(c.grads[step][i], c.shapes[i], c.dtype).detach()));
        opt.step();
        params.forEach((p, i) => expectClose(p, my.tensor(expected[i], { dtype: 'float64' }).reshape(c.shapes[i]), tol));
      });
    });
  }

  it('skips parameters without a gradient and zeroGrad clears gradients', () => {
    const a = leaf([1, 2], [2], 'float64'), b = leaf([3], [1], 'float64');
    const opt = new my.optim.SGD([a, b], { lr: 0.5 });
    a.grad = my.tensor([1, -1], { dtype: 'float64' });
    opt.step();
    expect(a.toArray()).toEqual([0.5, 2.5]);
    expect(b.toArray()).toEqual([3]);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
  });

  it('trains through autograd: Adam drives a quadratic to its minimum', () => {
    const w = my.tensor([3, -2], { dtype: 'float64', requiresGrad: true });
    const target = my.tensor([1, 0.5], { dtype: 'float64' });
    const opt = new my.optim.Adam([w], { lr: 0.1 });
    for (let i = 0; i < 300; i++) {
      opt.zeroGrad();
      w.sub(target).square().sum().backward();
      opt.step();
    }
    expectClose(w, [1, 0.5], { atol: 1e-3 });
  });
});
