import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import { describeBackends, expectClose } from '../helpers.js';

describeBackends('reductions', () => {
  const x = () => my.tensor([[[1, 5, 2], [7, 0, 3]], [[4, 4, 9], [-1, 6, 8]]], { dtype: 'float64' }); // [2,2,3]

  it('sum over all, one dim, several dims, with keepDim', () => {
    expectClose(x().sum(), 48);
    expect(x().sum().shape).toEqual([]);
    expectClose(x().sum(1), [[8, 5, 5], [3, 10, 17]]);
    expectClose(x().sum(-1, true), [[[8], [10]], [[17], [13]]]);
    expectClose(x().sum([0, 2]), [25, 23]);
    expectClose(x().sum([0, 2], true), [[[25], [23]]]);
  });

  it('a 0-d tensor reduced over dim 0 or -1 is itself, as in PyTorch', () => {
    const x = my.tensor(2.5);
    expect(Array.from(x.sum(0, true).data)).toEqual([2.5]);
    expect(x.sum(-1).shape).toEqual([]);
    expect(Array.from(x.mean(0).data)).toEqual([2.5]);
    expect(Array.from(x.max(-1).data)).toEqual([2.5]);
    expect(() => x.sum(1)).toThrow(/sum: /);
  });

  it('mean divides by the count of reduced elements', () => {
    expectClose(x().mean(), 4);
    expectClose(x().mean([1, 2]), [3, 5]);
    expectClose(x().mean(0, true), [[[2.5, 4.5, 5.5], [3, 3, 5.5]]]);
  });

  it('max over dims; its gradient is shared among ties', () => {
    expectClose(x().max(), 9);
    expectClose(x().max(2), [[5, 7], [9, 8]]);
    expectClose(x().max([0, 1], true), [[[7, 6, 9]]]);
    const t = my.tensor([[4, 4, 1], [0, 2, 2]], { requiresGrad: true });
    t.max(1).sum().backward();
    expectClose(t.grad!, [[0.5, 0.5, 0], [0, 0.5, 0.5]]);
  });

  it('argmax returns the first maximum as float indices', () => {
    expectClose(x().argmax(2), [[1, 0], [2, 2]]);
    expectClose(x().argmax(), 8);
    expectClose(my.tensor([[3, 3], [1, 2]]).argmax(1, true), [[0], [1]]);
    expect(x().argmax(0).requiresGrad).toBe(false);
  });

  it('bad dims name the op and the shape', () => {
    expect(() => x().sum(3)).toThrow('sum: dim 3 is out of range for a 3-d tensor [2,2,3] (expected -3..2)');
    expect(() => x().mean([0, 0])).toThrow('mean: dims [0,0] repeat an axis');
    expect(() => x().max(1, 'yes' as any)).toThrow('max: keepDim must be a boolean, got yes');
    expect(() => my.zeros([0, 2]).max(0)).toThrow('max: cannot reduce an empty dimension of [0,2]');
    expect(() => my.zeros([0]).argmax()).toThrow('argmax: empty tensor [0]');
  });
});
