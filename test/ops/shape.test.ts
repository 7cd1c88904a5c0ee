import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import { describeBackends, expectClose } from '../helpers.js';

describeBackends('shape ops', () => {
  const x = () => my.tensor([[1, 2, 3], [4, 5, 6]]);

  it('reshape (with -1), flatten, unsqueeze, squeeze share storage', () => {
    expect(x().reshape(3, -1).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(x().reshape([-1]).shape).toEqual([6]);
    const t = x();
    expect(t.reshape(6).data).toBe(t.data);
    expect(my.zeros([2, 3, 4]).flatten(1).shape).toEqual([2, 12]);
    expect(my.zeros([2, 3, 4]).flatten().shape).toEqual([24]);
    expect(x().unsqueeze(1).shape).toEqual([2, 1, 3]);
    expect(x().unsqueeze(-1).shape).toEqual([2, 3, 1]);
    expect(my.zeros([1, 2, 1]).squeeze().shape).toEqual([2]);
    expect(my.zeros([1, 2, 1]).squeeze(2).shape).toEqual([1, 2]);
    expect(my.zeros([1, 2, 1]).squeeze(1).shape).toEqual([1, 2, 1]);
  });

  it('transpose, T and permute move the data', () => {
    expect(x().T.toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(x().transpose().toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    const y = my.arange(24).reshape(2, 3, 4);
    expect(y.permute(2, 0, 1).shape).toEqual([4, 2, 3]);
    expect(y.permute(2, 0, 1).toArray()[3][1][2]).toBe(23);
    expect(y.transpose(0, 2).toArray()[1][2][0]).toBe(9);
  });

  it('broadcastTo repeats along new and size-1 dims', () => {
    expect(my.tensor([1, 2]).broadcastTo([2, 2]).toArray()).toEqual([[1, 2], [1, 2]]);
    expect(my.tensor([[1], [2]]).broadcastTo([2, 3]).toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(my.tensor(5).broadcastTo([2]).toArray()).toEqual([5, 5]);
  });

  it('narrow, concat, stack', () => {
    expect(x().narrow(1, 1, 2).toArray()).toEqual([[2, 3], [5, 6]]);
    expect(my.concat([x(), my.tensor([[7, 8, 9]])], 0).toArray()).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    expect(my.concat([x(), my.tensor([[0], [0]])], -1).toArray()).toEqual([[1, 2, 3, 0], [4, 5, 6, 0]]);
    expect(my.stack([my.tensor([1, 2]), my.tensor([3, 4])], 1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(my.concat([my.tensor([1]), my.tensor([2], { dtype: 'float64' })]).dtype).toBe('float64');
  });

  it('gather picks along a dim; scatterAdd accumulates (its adjoint)', () => {
    const logits = my.tensor([[0.1, 0.2, 0.7], [0.5, 0.3, 0.2]], { requiresGrad: true });
    const picked = logits.gather(1, my.tensor([[2], [0]]));
    expectClose(picked, [[0.7], [0.5]]);
    picked.sum().backward();
    expectClose(logits.grad!, [[0, 0, 1], [1, 0, 0]]);
    expectClose(my.scatterAdd(my.tensor([[1, 2, 3]]), 1, my.tensor([[0, 2, 0]]), [1, 3]), [[4, 0, 2]]);
  });

  it('bad input names the op, the shapes and the value', () => {
    expect(() => x().reshape(4, -1)).toThrow('reshape: cannot infer -1 in [4,-1] for [2,3] (6 elements)');
    expect(() => x().reshape(-1, -1)).toThrow('reshape: only one dimension can be -1, got [-1,-1]');
    expect(() => x().reshape(5)).toThrow('reshape: shape [5] is invalid for input of shape [2,3] (6 elements)');
    expect(() => my.zeros([2, 3, 4]).T).toThrow('T: expects a tensor of at most 2 dims, got [2,3,4]');
    expect(() => x().transpose(0, 2)).toThrow('transpose: dim 2 is out of range for a 2-d tensor [2,3] (expected -2..1)');
    expect(() => x().permute(0, 0)).toThrow('permute: dims [0,0] repeat an axis');
    expect(() => x().broadcastTo([3, 3])).toThrow(/broadcastTo: shapes \[2,3\] and \[3,3\] cannot be broadcast/);
    expect(() => x().broadcastTo([3])).toThrow('broadcastTo: cannot broadcast [2,3] to [3]');
    expect(() => x().narrow(1, 2, 2)).toThrow('narrow: start 2 and length 2 do not fit dim 1 (size 3) of [2,3]');
    expect(() => my.concat([x(), my.zeros([2, 2])], 0)).toThrow('concat: shapes [2,3], [2,2] differ outside dim 0');
    expect(() => my.concat([])).toThrow('concat: expected a non-empty array of Tensors');
    expect(() => my.stack([x(), my.zeros([3, 2])])).toThrow('stack: all shapes must be equal, got [2,3], [3,2]');
    expect(() => x().gather(1, my.tensor([[3], [0]]))).toThrow('gather: index 3 at position 0 is out of range for dim 1 of size 3 (input [2,3])');
    expect(() => x().gather(1, my.tensor([0, 1]))).toThrow('gather: index [2] must have as many dims as the input [2,3]');
    expect(() => x().unsqueeze(3)).toThrow('unsqueeze: dim 3 is out of range for a 3-d tensor (expected -3..2)');
  });
});
