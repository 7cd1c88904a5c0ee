import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import { describeBackends } from '../helpers.js';

/** Goldens from test/goldens/optim.py: each group's learning rate after construction and after every step. */
interface SchedulerCase {
  name: string;
  kind: 'StepLR' | 'ExponentialLR' | 'CosineAnnealingLR' | 'ReduceLROnPlateau';
  options: Record<string, unknown>;
  lrs: number[];
  epochs: number;
  metrics: number[] | null;
  history: number[][];
}

const goldens = JSON.parse(readFileSync(new URL('../goldens/optim.json', import.meta.url), 'utf8')) as { schedulers: SchedulerCase[] };
const S = my.optim.lrScheduler;

function optimizerWith(lrs: number[]) {
  return new my.optim.SGD(lrs.map((lr) => ({ params: [my.zeros([1], { requiresGrad: true })], lr })), { lr: lrs[0] });
}

describeBackends('learning-rate schedulers against PyTorch', () => {
  for (const c of goldens.schedulers) {
    it(`${c.kind}: ${c.name}`, () => {
      const opt = optimizerWith(c.lrs);
      const Ctor = S[c.kind] as unknown as new (o: unknown, opts: unknown) => { step(m?: number): void; getLastLr(): number[] };
      const sched = new Ctor(opt, c.options);
      const lrs = () => opt.paramGroups.map((g) => g.lr);
      expect(lrs()).toEqual(c.history[0]);
      for (let e = 0; e < c.epochs; e++) {
        sched.step(c.metrics?.[e]);
        // Same formulas in the same order in double precision: equal up to the last bit or two.
        lrs().forEach((lr, i) => expect(lr).toBeCloseTo(c.history[e + 1][i], 14));
        expect(sched.getLastLr()).toEqual(lrs());
      }
    });
  }

  it('refuses bad options with the scheduler named', () => {
    const opt = optimizerWith([0.1]);
    expect(() => new S.StepLR(opt, { stepSize: 0 })).toThrow(/StepLR: stepSize must be an integer >= 1, got 0/);
    expect(() => new S.ExponentialLR(opt, { gamma: -1 })).toThrow(/ExponentialLR: gamma .* got -1/);
    expect(() => new S.CosineAnnealingLR(opt, { tMax: 2.5 })).toThrow(/CosineAnnealingLR: tMax/);
    expect(() => new S.ReduceLROnPlateau(opt, { factor: 1 })).toThrow(/factor must be in \[0, 1\), got 1/);
    expect(() => new S.ReduceLROnPlateau(opt, { mode: 'up' as 'min' })).toThrow(/mode must be 'min' or 'max'/);
    expect(() => new S.ReduceLROnPlateau(opt, { minLr: [0, 0] })).toThrow(/expected 1 minLr values/);
    expect(() => new S.StepLR({} as never, { stepSize: 1 })).toThrow(/StepLR: expected an optimizer/);
    expect(() => new S.ReduceLROnPlateau(opt).step(NaN)).toThrow(/metric/);
  });

  it('ReduceLROnPlateau accepts a one-element tensor metric', () => {
    const opt = optimizerWith([1]);
    const sched = new S.ReduceLROnPlateau(opt, { patience: 0 });
    sched.step(my.tensor(1));
    sched.step(my.tensor([2]));
    expect(sched.getLastLr()).toEqual([0.1]);
  });
});
