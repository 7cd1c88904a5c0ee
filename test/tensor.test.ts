import { describe, expect, test } from 'vitest';
import * as my from '../src/index.js';
import { describeBackends, expectClose } from './helpers.js';

describe('tensor creation', () => {
  test('nested arrays give shape, dtype and row-major data', () => {
    const t = my.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.size).toBe(6);
    expect(t.ndim).toBe(2);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  test('a number is a 0-d tensor; item() reads it', () => {
    const t = my.tensor(2.5, { dtype: 'float64' });
    expect(t.shape).toEqual([]);
    expect(t.item()).toBe(2.5);
    expect(t.toArray()).toBe(2.5);
  });

  test('typed arrays are copied and shaped by opts.shape', () => {
    const src = new Float64Array([1, 2, 3, 4]);
    const t = my.tensor(src, { shape: [2, 2] });
    expect(t.dtype).toBe('float64');
    src[0] = 99;
    expect(t.toArray()).toEqual([[1, 2], [3, 4]]);
  });

  test('factories', () => {
    expect(my.zeros([2, 2]).toArray()).toEqual([[0, 0], [0, 0]]);
    expect(my.ones([3], { dtype: 'float64' }).toArray()).toEqual([1, 1, 1]);
    expect(my.full([2], 7).toArray()).toEqual([7, 7]);
    expect(my.arange(4).toArray()).toEqual([0, 1, 2, 3]);
    expect(my.arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(my.eye(2).toArray()).toEqual([[1, 0], [0, 1]]);
    const x = my.tensor([[1, 2]], { dtype: 'float64' });
    expect(my.zerosLike(x).dtype).toBe('float64');
    expect(my.onesLike(x).toArray()).toEqual([[1, 1]]);
    expect(my.randnLike(x).shape).toEqual([1, 2]);
  });

  test('manualSeed makes random draws reproducible; randn has unit variance', () => {
    my.manualSeed(42);
    const a = my.randn([1000]);
    my.manualSeed(42);
    const b = my.randn([1000]);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const mean = a.mean().item();
    const variance = a.sub(mean).square().mean().item();
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(Math.abs(variance - 1)).toBeLessThan(0.12);
    const u = my.rand([1000]);
    expect(Math.min(...u.data)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u.data)).toBeLessThan(1);
  });

  test('requiresGrad option and detach/clone', () => {
    const x = my.tensor([1, 2], { requiresGrad: true });
    expect(x.requiresGrad).toBe(true);
    const d = x.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.data).toBe(x.data);
    const c = x.clone();
    expect(c.data).not.toBe(x.data);
    expect(c.requiresGrad).toBe(true);
  });
});

describe('tensor bad input', () => {
  test('ragged arrays, wrong shapes and dtypes name the function', () => {
    expect(() => my.tensor([[1, 2], [3]])).toThrow(/tensor: ragged nested array/);
    expect(() => my.tensor(new Float32Array(3), { shape: [2, 2] })).toThrow(/tensor: shape \[2,2\] holds 4 elements but the Float32Array has 3/);
    expect(() => my.tensor([1], { dtype: 'int8' as any })).toThrow(/dtype must be 'float32' or 'float64'/);
    expect(() => my.zeros([2, -1])).toThrow(/zeros: shape \[2,-1\] must hold non-negative integers/);
    expect(() => my.zeros([2.5])).toThrow(/zeros: shape/);
    expect(() => my.zeros([NaN])).toThrow(/zeros: shape/);
    expect(() => my.ones('3' as any)).toThrow(/ones: shape must be an array/);
    expect(() => my.tensor('abc' as any)).toThrow(/tensor: expected a number/);
    expect(() => my.tensor([1, 2]).item()).toThrow(/item: only one-element tensors/);
  });

  test('ops name the op and the operands', () => {
    expect(() => my.tensor([[1, 2, 3], [4, 5, 6]]).matmul(my.zeros([4, 5]))).toThrow('matmul: [2,3] @ [4,5]: inner dimensions 3 and 4 differ');
    expect(() => my.zeros([2, 3]).add(my.zeros([4]))).toThrow(/add: shapes \[2,3\] and \[4\] cannot be broadcast/);
    expect(() => my.zeros([2, 3]).sum(2)).toThrow(/sum: dim 2 is out of range for a 2-d tensor/);
    expect(() => my.zeros([6]).reshape(4, -1)).toThrow(/reshape: cannot infer -1/);
    expect(() => my.add([1, 2] as any, 1)).toThrow(/add: input must be a Tensor/);
    expect(() => my.zeros([2]).mul('x' as any)).toThrow(/mul: other must be a Tensor or a number/);
  });
});

describeBackends('tensor arithmetic', () => {
  test('broadcasting and promotion float32 + float64 -> float64', () => {
    const a = my.tensor([[1], [2]]);
    const b = my.tensor([10, 20, 30], { dtype: 'float64' });
    const c = a.add(b);
    expect(c.dtype).toBe('float64');
    expect(c.toArray()).toEqual([[11, 21, 31], [12, 22, 32]]);
    expect(a.mul(2).dtype).toBe('float32');
  });

  test('matmul: 2-D, batched with broadcasting, vectors', () => {
    const a = my.tensor([[1, 2], [3, 4]]);
    expect(a.matmul(a).toArray()).toEqual([[7, 10], [15, 22]]);
    const batch = my.stack([a, a.mul(2)]);
    expect(batch.matmul(a).toArray()).toEqual([[[7, 10], [15, 22]], [[14, 20], [30, 44]]]);
    expect(my.tensor([1, 1]).matmul(a).toArray()).toEqual([4, 6]);
    expect(a.matmul(my.tensor([1, 1])).toArray()).toEqual([3, 7]);
    expect(my.tensor([1, 2]).matmul(my.tensor([3, 4])).item()).toBe(11);
  });

  test('matmul agrees with a float64 reference at sizes off the kernel tiles', () => {
    for (const [m, k, n] of [[1, 1, 1], [7, 3, 5], [33, 17, 65], [130, 70, 10]]) {
      const a = my.randn([m, k], { dtype: 'float64' }), b = my.randn([k, n], { dtype: 'float64' });
      const ref = new Float64Array(m * n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a.data[i * k + p] * b.data[p * n + j];
        ref[i * n + j] = s;
      }
      expectClose(a.matmul(b), my.tensor(ref, { shape: [m, n] }), { atol: 1e-12, rtol: 1e-12 });
      expectClose(a.to('float32').matmul(b.to('float32')), my.tensor(ref, { shape: [m, n] }), { atol: 1e-4 * k, rtol: 1e-4 });
    }
  });

  test('sum, mean, max with dims and keepDim; transpose and reshape', () => {
    const x = my.tensor([[1, 5, 3], [4, 2, 6]]);
    expect(x.sum().item()).toBe(21);
    expect(x.sum(0).toArray()).toEqual([5, 7, 9]);
    expect(x.sum(1, true).toArray()).toEqual([[9], [12]]);
    expect(x.mean([0, 1]).item()).toBe(3.5);
    expect(x.max(1).toArray()).toEqual([5, 6]);
    expect(x.argmax(1).toArray()).toEqual([1, 2]);
    expect(x.T.toArray()).toEqual([[1, 4], [5, 2], [3, 6]]);
    expect(x.reshape(3, -1).toArray()).toEqual([[1, 5], [3, 4], [2, 6]]);
    expect(x.transpose(0, 1).shape).toEqual([3, 2]);
  });

  test('reverse mode through matmul, broadcasting add, sum and mean', () => {
    const x = my.tensor([[1, 2], [3, 4]], { requiresGrad: true, dtype: 'float64' });
    const w = my.tensor([[1, -1], [0.5, 2]], { requiresGrad: true, dtype: 'float64' });
    const b = my.tensor([1, -2], { requiresGrad: true, dtype: 'float64' });
    const loss = x.matmul(w).add(b).relu().mean();
    loss.backward();
    // relu mask: x@w+b = [[3,1],[6,3]] (all positive), so d loss/d(xw) = 1/4 everywhere.
    expectClose(b.grad!, [0.5, 0.5]);
    expectClose(w.grad!, [[1, 1], [1.5, 1.5]]);
    expectClose(x.grad!, [[0, 0.625], [0, 0.625]]);
  });
});
