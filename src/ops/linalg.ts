import { Tensor } from '../tensor.js';
import { allocate, promoteTypes } from '../dtype.js';
import { check, fmtShape } from '../check.js';
import { sameShape } from '../shape.js';
import { getBackend } from '../backend/index.js';
import { apply } from '../autograd/graph.js';
import { defineOp, type OpDef } from './registry.js';
import { asTensor } from './util.js';
import { mul, neg, sub } from './elementwise.js';
import { sum } from './reduce.js';
import { matmul } from './matmul.js';
import { cast, transpose, unsqueeze } from './shape.js';

/** Square matrices [..., n, n] factorised by LU with partial pivoting. */
interface LuResult {
  lu: Tensor;
  pivots: Int32Array;
  /** Permutation sign per matrix, 0 where a pivot is exactly zero. */
  signs: Float64Array;
  n: number;
  batch: number;
}

function luFactor(a: Tensor): LuResult {
  const n = a.shape[a.ndim - 1], batch = a.size / Math.max(n * n, 1);
  const lu = new Tensor(a.data.slice(), a.shape);
  const pivots = new Int32Array(batch * n), signs = new Float64Array(batch);
  getBackend().luFactor(lu.data, n, batch, pivots, signs);
  return { lu, pivots, signs, n, batch };
}

function checkInvertible(op: string, a: Tensor, { signs }: LuResult): void {
  const q = signs.indexOf(0);
  check(q < 0, () => `${op}: the matrix ${fmtShape(a.shape)}${signs.length > 1 ? ` (batch element ${q})` : ''} is singular (a zero pivot in its LU factorisation)`);
}

/** X with A X = B for B [..., n, k] (nrhs = k). */
function luSolveInto(f: LuResult, b: Tensor, nrhs: number): Tensor {
  const x = new Tensor(b.data.slice(), b.shape);
  getBackend().luSolve(f.lu.data, f.n, f.batch, f.pivots, x.data, nrhs);
  return x;
}

/** Transpose of the last two dims. */
const mT = (t: Tensor): Tensor => transpose(t, -2, -1);
/** A batch of scalars [...] as [..., 1, 1], to scale a batch of matrices. */
const asMatrixScale = (t: Tensor): Tensor => unsqueeze(unsqueeze(t, -1), -1);

export const detOp: OpDef = defineOp({
  name: 'det',
  forward: ([a]) => {
    const f = luFactor(a);
    const out = new Tensor(allocate(a.dtype, f.batch), a.shape.slice(0, -2));
    for (let q = 0; q < f.batch; q++) {
      let d = f.signs[q];
      for (let i = 0; d !== 0 && i < f.n; i++) d *= f.lu.data[q * f.n * f.n + i * f.n + i];
      out.data[q] = d;
    }
    return out;
  },
  // d det(A) = det(A) tr(A⁻¹ dA), so the gradient is g det(A) A⁻ᵀ (undefined at singular A).
  vjp: (g, { inputs: [a], output }) => {
    check(!output.data.includes(0), () => `linalg.det: the gradient at a singular matrix ${fmtShape(a.shape)} is not supported`);
    return [mul(asMatrixScale(mul(g, output)), mT(inv(a)))];
  },
  jvp: ([t], { inputs: [a], output }) => mul(output, sum(mul(mT(inv(a)), t!), [-2, -1])),
  nonAnalytic: 'linear algebra ops have no complex evaluation (real LU kernels)',
});

export const invOp: OpDef = defineOp({
  name: 'inv',
  forward: ([a]) => {
    const f = luFactor(a);
    checkInvertible('linalg.inv', a, f);
    const eye = new Tensor(allocate(a.dtype, a.size), a.shape);
    for (let q = 0; q < f.batch; q++) for (let i = 0; i < f.n; i++) eye.data[q * f.n * f.n + i * f.n + i] = 1;
    return luSolveInto(f, eye, f.n);
  },
  // d(A⁻¹) = -A⁻¹ dA A⁻¹.
  vjp: (g, { output: y }) => [neg(matmul(matmul(mT(y), g), mT(y)))],
  jvp: ([t], { output: y }) => neg(matmul(matmul(y, t!), y)),
  nonAnalytic: 'linear algebra ops have no complex evaluation (real LU kernels)',
});

/** B is a vector (or batch of vectors) rather than a matrix of right-hand sides. */
interface SolveAttrs {
  vector: boolean;
}

export const solveOp: OpDef<SolveAttrs> = defineOp<SolveAttrs>({
  name: 'solve',
  forward: ([a, b], { vector }) => {
    const f = luFactor(a);
    checkInvertible('linalg.solve', a, f);
    return luSolveInto(f, b, vector ? 1 : b.shape[b.ndim - 1]);
  },
  // X = A⁻¹B: dB ↦ A⁻ᵀ g, dA ↦ -(A⁻ᵀ g) Xᵀ.
  vjp: (g, { inputs: [a, b], output: x, attrs: { vector } }) => {
    const gb = solve(mT(a), g);
    const ga = a.requiresGrad ? neg(vector ? mul(unsqueeze(gb, -1), unsqueeze(x, -2)) : matmul(gb, mT(x))) : null;
    return [ga, b.requiresGrad ? gb : null];
  },
  jvp: ([ta, tb], { inputs: [a], output: x, attrs: { vector } }) => {
    let rhs = tb;
    if (ta) {
      const tax = vector ? matmul(ta, unsqueeze(x, -1)).squeeze(-1) : matmul(ta, x);
      rhs = rhs ? sub(rhs, tax) : neg(tax);
    }
    return solve(a, rhs!);
  },
  nonAnalytic: 'linear algebra ops have no complex evaluation (real LU kernels)',
});

function squareArg(op: string, x: unknown, arg = 'A'): Tensor {
  const a = asTensor(op, x, arg);
  check(a.ndim >= 2 && a.shape[a.ndim - 1] === a.shape[a.ndim - 2], () =>
    `${op}: ${arg} must be a square matrix or a batch of them [..., n, n], got ${fmtShape(a.shape)}`);
  return a;
}

/** Determinant of a square matrix (or batch), by LU with partial pivoting; 0 when singular: `my.linalg.det(A)`. */
export function det(a: Tensor): Tensor {
  return apply(detOp, [squareArg('linalg.det', a)], undefined);
}

/** Inverse of a square matrix (or batch); a singular matrix throws: `my.linalg.inv(A)`. */
export function inv(a: Tensor): Tensor {
  return apply(invOp, [squareArg('linalg.inv', a)], undefined);
}

/**
 * X with A X = B, for A [..., n, n] and B [..., n, k] or a vector B [..., n] (torch's rule);
 * a singular A throws: `my.linalg.solve(A, b)`.
 */
export function solve(a: Tensor, b: Tensor): Tensor {
  const A = squareArg('linalg.solve', a);
  const B = asTensor('linalg.solve', b, 'B');
  const vector = B.ndim === A.ndim - 1 && sameShape(B.shape, A.shape.slice(0, -1));
  const matrixOk = B.ndim === A.ndim && sameShape(B.shape.slice(0, -1), A.shape.slice(0, -1));
  check(vector || matrixOk, () =>
    `linalg.solve: A ${fmtShape(A.shape)} and B ${fmtShape(B.shape)} do not match: B must be [..., ${A.shape[A.ndim - 1]}] or [..., ${A.shape[A.ndim - 1]}, k] with A's batch dims`);
  const dtype = promoteTypes(A.dtype, B.dtype);
  return apply(solveOp, [cast(A, dtype), cast(B, dtype)], { vector });
}

export const linalgOps: readonly OpDef<any>[] = [detOp, invOp, solveOp];
