import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { describeBackends, expectClose } from '../helpers.js';

/** Plain triple loop over the last two dims of already-broadcast 3-D operands. */
function reference(a: number[][][], b: number[][][]): number[][][] {
  return a.map((am, q) => am.map((row) => b[q][0].map((_, j) => row.reduce((s, v, p) => s + v * b[q][p][j], 0))));
}

function seq(shape: number[], scale = 0.1): Tensor {
  const n = shape.reduce((x, y) => x * y, 1);
  return my.tensor(Float64Array.from({ length: n }, (_, i) => Math.sin(i + shape.length) * scale * 10), { shape });
}

describeBackends('matmul', () => {
  it('2-D, 1-D on either side, 1-D @ 1-D (torch.matmul rules)', () => {
    const a = seq([2, 3]), b = seq([3, 4]), v = seq([3]);
    expectClose(a.matmul(b), reference([a.toArray()], [b.toArray()])[0], { atol: 1e-12 });
    expect(a.matmul(v).shape).toEqual([2]);
    expectClose(a.matmul(v), reference([a.toArray()], [v.toArray().map((x: number) => [x])])[0].map((r) => r[0]), { atol: 1e-12 });
    expect(v.matmul(b).shape).toEqual([4]);
    const dot = v.matmul(v);
    expect(dot.shape).toEqual([]);
    expectClose(dot, v.toArray().reduce((s: number, x: number) => s + x * x, 0), { atol: 1e-12 });
  });

  it('batched with broadcast batch dims', () => {
    const a = seq([2, 1, 2, 3]), b = seq([3, 3, 2]);
    const c = a.matmul(b);
    expect(c.shape).toEqual([2, 3, 2, 2]);
    const ab = a.broadcastTo([2, 3, 2, 3]).reshape(6, 2, 3), bb = b.broadcastTo([2, 3, 3, 2]).reshape(6, 3, 2);
    expectClose(c.reshape(6, 2, 2), reference(ab.toArray(), bb.toArray()), { atol: 1e-12 });
    expect(seq([4, 2, 3]).matmul(seq([3, 5])).shape).toEqual([4, 2, 5]);
  });

  it('float32 and float64 promote; float32 result matches float64 closely', () => {
    const a = seq([3, 3]), b = seq([3, 2]);
    const c32 = a.to('float32').matmul(b.to('float32'));
    expect(c32.dtype).toBe('float32');
    expectClose(c32, a.matmul(b), { atol: 1e-5 });
    expect(a.to('float32').matmul(b).dtype).toBe('float64');
  });

  it('bad input names both shapes', () => {
    expect(() => my.zeros([2, 3]).matmul(my.zeros([4, 5]))).toThrow('matmul: [2,3] @ [4,5]: inner dimensions 3 and 4 differ');
    expect(() => my.zeros([3]).matmul(my.zeros([4]))).toThrow('matmul: [3] @ [4]: inner dimensions 3 and 4 differ');
    expect(() => my.tensor(1).matmul(my.zeros([1]))).toThrow('matmul: both operands need at least 1 dimension, got [] @ [1]');
    expect(() => my.zeros([2, 2, 3]).matmul(my.zeros([3, 3, 2]))).toThrow('matmul: shapes [2] and [3] cannot be broadcast (dimension 0: 2 vs 3)');
    expect(() => my.zeros([2, 2]).matmul([[1]] as any)).toThrow('matmul: other must be a Tensor, got an array');
  });
});
