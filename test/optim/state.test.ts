import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { describeBackends } from '../helpers.js';

function params(): Tensor[] {
  return [my.tensor([[0.5, -1], [2, 0.25]], { dtype: 'float64', requiresGrad: true }), my.tensor([1, -3], { dtype: 'float64', requiresGrad: true })];
}

/** Gradient of Σ w³/3 + w: depends on w, so a lost or stale state shows in the values. */
function setGrads(ps: Tensor[]): void {
  for (const p of ps) p.grad = my.tensor(Float64Array.from(p.data, (w) => w * w + 1), { shape: p.shape.slice() });
}

describeBackends('optimizer state dicts', () => {
  const makers: [string, (ps: Tensor[]) => my.optim.Optimizer<{ lr: number }>][] = [
    ['SGD', (ps) => new my.optim.SGD([{ params: [ps[0]] }, { params: [ps[1]], lr: 0.02 }], { lr: 0.05, momentum: 0.9 })],
    ['Adam', (ps) => new my.optim.Adam(ps, { lr: 0.1, amsgrad: true })],
    ['RMSprop', (ps) => new my.optim.RMSprop(ps, { centered: true, momentum: 0.5 })],
    ['Adagrad', (ps) => new my.optim.Adagrad(ps, { lrDecay: 0.1 })],
    ['Adadelta', (ps) => new my.optim.Adadelta(ps)],
  ];
  for (const [name, make] of makers) {
    it(`${name}: a resumed optimizer continues exactly like the original`, () => {
      const a = params(), optA = make(a);
      for (let i = 0; i < 2; i++) { setGrads(a); optA.step(); }
      const sd = optA.stateDict();
      const b = a.map((p) => my.tensor(p.detach().clone(), { requiresGrad: true }));
      const optB = make(b);
      optB.loadStateDict(sd);
      for (let i = 0; i < 3; i++) {
        setGrads(a); optA.step();
        setGrads(b); optB.step();
      }
      a.forEach((p, i) => expect(Array.from(b[i].data)).toEqual(Array.from(p.data)));
    });
  }

  it('stateDict copies: later steps do not change a saved dict', () => {
    const ps = params(), opt = new my.optim.Adam(ps);
    setGrads(ps); opt.step();
    const sd = opt.stateDict();
    const saved = Array.from((sd.state[0].expAvg as Tensor).data);
    setGrads(ps); opt.step();
    expect(Array.from((sd.state[0].expAvg as Tensor).data)).toEqual(saved);
    expect(sd.state[0].step).toBe(1);
    expect(sd.paramGroups[0]).toMatchObject({ lr: 1e-3, betas: [0.9, 0.999], params: [0, 1] });
  });

  it('loadStateDict restores group options (a scheduled lr) and refuses mismatches without changing anything', () => {
    const ps = params(), opt = new my.optim.SGD(ps, { lr: 0.1, momentum: 0.9 });
    setGrads(ps); opt.step();
    const sd = opt.stateDict();
    sd.paramGroups[0].lr = 0.001;
    const other = new my.optim.SGD(params(), { lr: 0.1, momentum: 0.9 });
    other.loadStateDict(sd);
    expect(other.paramGroups[0].lr).toBe(0.001);
    const fresh = new my.optim.SGD([my.zeros([3], { requiresGrad: true }), my.zeros([2], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
    expect(() => fresh.loadStateDict(sd)).toThrow(/SGD.loadStateDict: state 'momentumBuffer' of parameter 0 is shaped \[2,2\]; expected .* \[3\]/);
    expect(fresh.paramGroups[0].lr).toBe(0.1);
    const twoGroups = new my.optim.SGD([{ params: [params()[0]] }, { params: [params()[1]] }], { lr: 0.1 });
    expect(() => twoGroups.loadStateDict(sd)).toThrow(/the state dict has 1 parameter groups, the optimizer 2/);
    expect(() => other.loadStateDict({ ...sd, paramGroups: [{ ...sd.paramGroups[0], lr: -1 }] })).toThrow(/lr must be a finite number >= 0, got -1/);
  });

  it('Adagrad has its accumulator before the first step, as PyTorch', () => {
    const opt = new my.optim.Adagrad(params(), { initialAccumulatorValue: 0.5 });
    const sd = opt.stateDict();
    expect(Array.from((sd.state[1].sum as Tensor).data)).toEqual([0.5, 0.5]);
    expect(sd.state[1].step).toBe(0);
  });
});
