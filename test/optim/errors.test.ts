import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import { describeBackends } from '../helpers.js';

describeBackends('optimizers refuse bad input with clear Errors', () => {
  const p = () => my.zeros([2, 3], { requiresGrad: true });

  it('negative or missing learning rates, bad betas, rho, eps', () => {
    expect(() => new my.optim.SGD([p()], { lr: -0.1 })).toThrow('SGD: options: lr must be a finite number >= 0, got -0.1');
    expect(() => new my.optim.SGD([p()], {} as never)).toThrow(/SGD: options: lr must be a finite number >= 0, got undefined/);
    expect(() => new my.optim.Adam([p()], { lr: NaN })).toThrow(/Adam: options: lr .* got NaN/);
    expect(() => new my.optim.Adam([p()], { betas: [0.9, 1] })).toThrow('Adam: options: betas[1] must be in [0, 1), got 1');
    expect(() => new my.optim.AdamW([p()], { betas: [-0.1, 0.9] })).toThrow(/AdamW: options: betas\[0\] must be in \[0, 1\), got -0.1/);
    expect(() => new my.optim.Adam([p()], { betas: [0.9] as never })).toThrow(/betas must be a pair/);
    expect(() => new my.optim.Adadelta([p()], { rho: 1.5 })).toThrow(/Adadelta: options: rho must be in \[0, 1\], got 1.5/);
    expect(() => new my.optim.RMSprop([p()], { eps: -1 })).toThrow(/RMSprop: options: eps/);
    expect(() => new my.optim.Adagrad([p()], { lrDecay: -1 })).toThrow(/Adagrad: options: lrDecay/);
    expect(() => new my.optim.SGD([p()], { lr: 0.1, nesterov: true })).toThrow(/nesterov needs momentum > 0 and zero dampening/);
  });

  it('empty, non-tensor, non-leaf and repeated parameters', () => {
    expect(() => new my.optim.SGD([], { lr: 0.1 })).toThrow('SGD: got an empty parameter list');
    expect(() => new my.optim.Adam(null as never)).toThrow(/Adam: params must be an iterable/);
    expect(() => new my.optim.Adam([{ params: [] }])).toThrow('Adam: parameter group 0 has an empty parameter list');
    const x = p();
    expect(() => new my.optim.SGD([x.mul(2)], { lr: 0.1 })).toThrow(/SGD: parameter 0 \[2,3\] is not a leaf tensor/);
    expect(() => new my.optim.SGD([x, 1 as never], { lr: 0.1 })).toThrow(/SGD: parameter 1 is not a Tensor \(got number\)/);
    expect(() => new my.optim.SGD([{ params: [x] }, { params: [x] }], { lr: 0.1 })).toThrow(/parameter group 1 parameter 0 \[2,3\] appears more than once/);
  });

  it('unknown options (typos) and per-group bad values name the group', () => {
    expect(() => new my.optim.SGD([p()], { lr: 0.1, weight_decay: 0.1 } as never)).toThrow(/SGD: unknown option 'weight_decay' in options; known options: lr, momentum/);
    expect(() => new my.optim.Adam([{ params: [p()] }, { params: [p()], lr: -1 }])).toThrow('Adam: parameter group 1: lr must be a finite number >= 0, got -1');
  });

  it('paramGroups[i].lr is settable and checked', () => {
    const x = p(), opt = new my.optim.SGD([x], { lr: 0.1 });
    opt.paramGroups[0].lr = 0.5;
    x.grad = my.onesLike(x);
    opt.step();
    expect(x.data[0]).toBeCloseTo(-0.5, 7);
    expect(() => (opt.paramGroups[0].lr = -1)).toThrow('SGD: paramGroups[].lr must be a finite number >= 0, got -1');
  });

  it('addParamGroup takes the constructor options it does not override, and checks its own', () => {
    const opt = new my.optim.SGD([p()], { lr: 0.1, momentum: 0.9 });
    opt.addParamGroup({ params: [p()], lr: 0.01 });
    expect(opt.paramGroups[1].options).toMatchObject({ lr: 0.01, momentum: 0.9 });
    expect(() => opt.addParamGroup({ params: [p()], momentum: -1 })).toThrow('SGD: parameter group 2: momentum must be a finite number >= 0, got -1');
    expect(() => opt.addParamGroup({ params: opt.paramGroups[0].params })).toThrow(/appears more than once/);
  });

  it('a gradient of the wrong shape', () => {
    const x = p(), opt = new my.optim.Adam([x]);
    x.grad = my.zeros([3, 2]);
    expect(() => opt.step()).toThrow('Adam.step: gradient [3,2] float32 does not match its parameter [2,3] float32');
  });
});
