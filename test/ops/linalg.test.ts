import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import { describeBackends, expectClose } from '../helpers.js';

const { det, inv, solve } = my.linalg;

describeBackends('linalg', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    const tol = dtype === 'float32' ? { atol: 1e-5, rtol: 1e-5 } : { atol: 1e-12, rtol: 1e-12 };
    const A = () => my.tensor([[0, 2, 1], [1, 1, 0], [3, 0, 1]], { dtype }); // zero first pivot: needs a row swap

    it(`det, inv, solve of a matrix that needs pivoting (${dtype})`, () => {
      expectClose(det(A()), -5, tol);
      expect(det(A()).dtype).toBe(dtype);
      expectClose(det(my.tensor([[0, 1], [1, 0]], { dtype })), -1, tol);
      const Ai = inv(A());
      expectClose(Ai.matmul(A()), my.eye(3), tol);
      expectClose(A().matmul(Ai), my.eye(3), tol);
      const x = solve(A(), my.tensor([3, 2, 4], { dtype }));
      expectClose(x, [1, 1, 1], tol);
      const X = solve(A(), my.tensor([[3, 1], [2, 1], [4, -1]], { dtype }));
      expectClose(X, [[1, 0], [1, 1], [1, -1]], tol);
    });

    it(`batched det and inv (${dtype})`, () => {
      const B = my.tensor([[[2, 0], [0, 3]], [[1, 2], [3, 4]]], { dtype });
      expectClose(det(B), [6, -2], tol);
      expectClose(inv(B), [[[0.5, 0], [0, 1 / 3]], [[-2, 1], [1.5, -0.5]]], tol);
    });
  }

  it('singular: det is 0, inv and solve throw a clear Error', () => {
    const S = my.tensor([[1, 2], [2, 4]], { dtype: 'float64' });
    expectClose(det(S), 0, { atol: 0, rtol: 0 });
    expectClose(det(my.zeros([3, 3])), 0, { atol: 0, rtol: 0 });
    expect(() => inv(S)).toThrow('linalg.inv: the matrix [2,2] is singular (a zero pivot in its LU factorisation)');
    expect(() => solve(S, my.tensor([1, 2], { dtype: 'float64' }))).toThrow('linalg.solve: the matrix [2,2] is singular');
    expect(() => inv(my.stack([my.eye(2), my.zeros([2, 2])]))).toThrow('linalg.inv: the matrix [2,2,2] (batch element 1) is singular');
  });

  it('gradients: d det/dA = det A⁻ᵀ, d inv, d solve (closed forms)', () => {
    const A = my.tensor([[4, 1], [2, 3]], { dtype: 'float64', requiresGrad: true });
    det(A).backward();
    expectClose(A.grad!, [[3, -2], [-1, 4]]); // det·A⁻ᵀ = adj(A)ᵀ
    const S = my.tensor([[1, 2], [2, 4]], { dtype: 'float64', requiresGrad: true });
    expect(() => det(S).backward()).toThrow('linalg.det: the gradient at a singular matrix [2,2] is not supported');
  });

  it('bad input names the function and the shapes', () => {
    expect(() => det(my.zeros([2, 3]))).toThrow('linalg.det: A must be a square matrix or a batch of them [..., n, n], got [2,3]');
    expect(() => inv(my.zeros([3]))).toThrow('linalg.inv: A must be a square matrix or a batch of them [..., n, n], got [3]');
    expect(() => solve(my.eye(3), my.zeros([2]))).toThrow('linalg.solve: A [3,3] and B [2] do not match: B must be [..., 3] or [..., 3, k] with A\'s batch dims');
    expect(() => solve(my.eye(3), [1, 2, 3] as any)).toThrow('linalg.solve: B must be a Tensor, got an array');
  });
});
