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

  it('one step over parameters of mixed dtypes and sizes updates each as if it were alone', () => {
    // A step queues every parameter and makes one multi-tensor call per dtype; the result must be
    // the per-parameter update (the single-parameter optimizers below give the expectation).
    const sizes = [3, 20000, 17], dtypes = ['float32', 'float64', 'float32'] as const;
    const make = () => sizes.map((n, i) => leaf(Array.from({ length: n }, (_, j) => Math.sin(i * 7 + j)), [n], dtypes[i]));
    const grads = sizes.map((n, i) => Array.from({ length: n }, (_, j) => Math.cos(i * 3 + j)));
    for (const [Ctor, opts] of [[my.optim.Adam, { lr: 0.01, weightDecay: 0.1 }], [my.optim.AdamW, { lr: 0.01, amsgrad: true }],
      [my.optim.SGD, { lr: 0.1, momentum: 0.9, nesterov: true }]] as const) {
      const together = make(), alone = make();
      const opt = new (Ctor as unknown as new (p: Tensor[], o: object) => my.optim.Optimizer<{ lr: number }>)(together, opts);
      const singles = alone.map((p) => new (Ctor as unknown as new (p: Tensor[], o: object) => my.optim.Optimizer<{ lr: number }>)([p], opts));
      for (let step = 0; step < 3; step++) {
        together.forEach((p, i) => (p.grad = my.tensor(Float64Array.from(grads[i]), { dtype: p.dtype })));
        alone.forEach((p, i) => (p.grad = my.tensor(Float64Array.from(grads[i]), { dtype: p.dtype })));
        opt.step();
        singles.forEach((o) => o.step());
      }
      together.forEach((p, i) => expect(Array.from(p.data), `${Ctor.name} parameter ${i}`).toEqual(Array.from(alone[i].data)));
      expect(together[1].toArray()).not.toEqual(make()[1].toArray());
    }
  });

  it('parameters that are overlapping views of one buffer are updated one after the other', () => {
    // One multi-tensor call would update both at once; they go one by one, in order, instead.
    const storage = new Float32Array([1, 2, 3, 4, 5]);
    const a = new my.Tensor(storage.subarray(0, 3), [3]), b = new my.Tensor(storage.subarray(2, 5), [3]);
    a.requiresGrad = true;
    b.requiresGrad = true;
    const opt = new my.optim.SGD([a, b], { lr: 0.5, momentum: 0.9 });
    a.grad = my.tensor([1, 1, 1]);
    b.grad = my.tensor([2, 2, 2]);
    opt.step();
    expect(Array.from(storage)).toEqual([0.5, 1.5, 1.5, 3, 4]);
  });
});
