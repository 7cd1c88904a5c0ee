import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import { describeBackends, expectClose } from '../helpers.js';

const xs = [-2.5, -0.3, 0, 0.4, 1.7, 3];
const pos = [0.1, 0.5, 1, 2.5, 9];

const unaryRef: [string, (x: number) => number, number[]][] = [
  ['neg', (x) => -x, xs],
  ['exp', Math.exp, xs],
  ['log', Math.log, pos],
  ['sqrt', Math.sqrt, pos],
  ['abs', Math.abs, xs],
  ['sin', Math.sin, xs],
  ['cos', Math.cos, xs],
  ['tanh', Math.tanh, xs],
  ['sigmoid', (x) => 1 / (1 + Math.exp(-x)), xs],
  ['relu', (x) => Math.max(x, 0), xs],
  ['square', (x) => x * x, xs],
  ['reciprocal', (x) => 1 / x, pos],
  ['sign', Math.sign, xs],
];

describeBackends('elementwise ops', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [name, ref, inputs] of unaryRef) {
      it(`${name} (${dtype}) matches Math, as method and as function`, () => {
        const x = my.tensor(inputs, { dtype });
        const y = name === 'sign' ? my.sign(x) : (x as any)[name]() as my.Tensor;
        expect(y.dtype).toBe(dtype);
        const tol = dtype === 'float32' ? { atol: 1e-6, rtol: 1e-6 } : { atol: 1e-15, rtol: 1e-14 };
        expectClose(y, inputs.map(ref), tol);
        expectClose((my as any)[name](x), inputs.map(ref), tol);
      });
    }
  }

  it('sigmoid is exact at large |x| (no overflow to NaN)', () => {
    expectClose(my.tensor([-800, 800], { dtype: 'float64' }).sigmoid(), [0, 1], { atol: 0, rtol: 0 });
  });

  it('binary ops broadcast by NumPy rules and accept plain numbers on either side', () => {
    const a = my.tensor([[1, 2, 3], [4, 5, 6]]);
    const b = my.tensor([10, 20, 30]);
    expectClose(a.add(b), [[11, 22, 33], [14, 25, 36]]);
    expectClose(a.sub(my.tensor([[1], [2]])), [[0, 1, 2], [2, 3, 4]]);
    expectClose(a.mul(2), [[2, 4, 6], [8, 10, 12]]);
    expectClose(my.div(12, a), [[12, 6, 4], [3, 2.4, 2]]);
    expectClose(my.sub(1, b), [-9, -19, -29]);
    expectClose(a.pow(2), [[1, 4, 9], [16, 25, 36]]);
    expectClose(a.pow(b.mul(0.1)), [[1, 4, 27], [4, 25, 216]]);
    expectClose(my.pow(2, b.div(10)), [2, 4, 8]);
    expectClose(my.tensor([[1], [2]]).add(my.tensor([[1, 2, 3]])), [[2, 3, 4], [3, 4, 5]]);
  });

  it('promotes float32 with float64 to float64; numbers keep the tensor dtype', () => {
    const a = my.tensor([1, 2]), b = my.tensor([0.5, 0.25], { dtype: 'float64' });
    expect(a.add(b).dtype).toBe('float64');
    expect(b.mul(a).dtype).toBe('float64');
    expect(a.mul(0.1).dtype).toBe('float32');
    expect(my.where(my.tensor([1, 0]), a, b).dtype).toBe('float64');
  });

  it('maximum/minimum propagate NaN and split the gradient of ties', () => {
    const a = my.tensor([1, NaN, 3, 2], { requiresGrad: true });
    const b = my.tensor([2, 0, 1, 2], { requiresGrad: true });
    expectClose(a.maximum(b), [2, NaN, 3, 2]);
    expectClose(a.minimum(b), [1, NaN, 1, 2]);
    a.maximum(b).sum().backward();
    expectClose(a.grad!, [0, 1, 1, 0.5]);
    expectClose(b.grad!, [1, 1, 0, 0.5]);
  });

  it('comparisons give 0/1 in the input dtype and carry no gradient', () => {
    const a = my.tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const b = my.tensor([2, 2, 2], { dtype: 'float64' });
    const cases: [string, number[]][] = [['eq', [0, 1, 0]], ['gt', [0, 0, 1]], ['lt', [1, 0, 0]], ['ge', [0, 1, 1]], ['le', [1, 1, 0]]];
    for (const [name, expected] of cases) {
      const y = (a as any)[name](b) as my.Tensor;
      expect(y.dtype).toBe('float64');
      expect(y.requiresGrad).toBe(false);
      expectClose(y, expected, { atol: 0, rtol: 0 });
    }
    expectClose(a.gt(2), [0, 0, 1], { atol: 0, rtol: 0 });
  });

  it('where picks by a nonzero condition with broadcasting', () => {
    const c = my.tensor([[1, 0, 1], [0, 0, 1]]);
    expectClose(my.where(c, my.tensor([1, 2, 3]), -1), [[1, -1, 3], [-1, -1, 3]]);
    expectClose(my.where(my.tensor([0, 1]), 5, my.tensor([[7], [8]])), [[7, 5], [8, 5]]);
  });

  it('mixed float32 and float64 operands promote at sizes the native kernels take (64 elements and up)', () => {
    const a = my.arange(0, 128).reshape([8, 16]);
    const b = my.arange(0, 16, 1, { dtype: 'float64' }).mul(0.1);
    const sum = a.add(b);
    expect(sum.dtype).toBe('float64');
    expect(sum.data[16 * 3 + 5]).toBeCloseTo(53 + 0.5, 12);
    const c = my.where(a.gt(60), b, a);
    expect(c.dtype).toBe('float64');
    expect([c.data[60], c.data[61]]).toEqual([60, 13 * 0.1]);
    const t = my.zeros([128]);
    my.noGrad(() => t.add_(my.ones([128], { dtype: 'float64' })));
    expect(t.dtype).toBe('float32');
    expect(t.data[127]).toBe(1);
  });

  it('pow follows IEEE 754 (and PyTorch) where Math.pow does not: 1 ** NaN, 1 ** Inf, (-1) ** Inf are 1', () => {
    // 64 pairs, so the native backend runs its kernel rather than the small-size path.
    const base = [1, 1, 1, -1, -1, 2, NaN, 0], exponent = [NaN, Infinity, -Infinity, Infinity, -Infinity, NaN, 0, 0];
    const a = my.tensor(Array.from({ length: 64 }, (_, i) => base[i % 8]));
    const b = my.tensor(Array.from({ length: 64 }, (_, i) => exponent[i % 8]));
    expect(Array.from(a.pow(b).data)).toEqual(Array.from({ length: 64 }, (_, i) => [1, 1, 1, 1, 1, NaN, 1, 1][i % 8]));
  });

  it('pow gradient by the exponent is 0 at base 0, as in PyTorch', () => {
    const a = my.tensor([0, 2], { dtype: 'float64' });
    const b = my.tensor([2, 3], { dtype: 'float64', requiresGrad: true });
    a.pow(b).sum().backward();
    expectClose(b.grad!, [0, 8 * Math.log(2)]);
  });

  it('bad input names the op, the shapes and the value', () => {
    expect(() => my.zeros([2, 3]).mul(my.zeros([2]))).toThrow('mul: shapes [2,3] and [2] cannot be broadcast (dimension 1: 3 vs 2)');
    expect(() => my.exp([1, 2] as any)).toThrow('exp: input must be a Tensor, got an array (wrap it with my.tensor)');
    expect(() => my.add(1 as any, 2 as any)).toThrow('add: other must be a Tensor, got number 2');
    expect(() => my.zeros([2]).pow('2' as any)).toThrow('pow: other must be a Tensor or a number, got string 2');
    expect(() => my.where([1] as any, 1, 2)).toThrow('where: condition must be a Tensor');
    expect(() => my.where(my.zeros([3]), my.zeros([2]), 0)).toThrow(/where: shapes \[3\] and \[2\] cannot be broadcast/);
  });
});
