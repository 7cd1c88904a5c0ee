import { Tensor } from '../tensor.js';
import { allocate, type Storage } from '../dtype.js';
import { broadcastShapes, broadcastStrides, sizeOf } from '../shape.js';
import type { OpDef } from '../ops/registry.js';
import { complexHook } from './graph.js';
import { mode } from './mode.js';

/**
 * Complex evaluation of ops, for complex-step differentiation: f(x + ih) = f(x) + ih f'(x)
 * + O(h²) for analytic f, so Im f(x + ih) / h is the derivative with no subtraction, exact
 * to rounding at h = 1e-20. A tensor carries its imaginary part in `_imag` (null = 0).
 * Only tests and gradcheck run this, so the loops are plain TypeScript, not backend kernels.
 */

/** A complex number as [re, im]. */
export type C = [number, number];

/** The imaginary part of `t`, zeros when it has none. */
export function imagOf(t: Tensor): Storage {
  return t._imag ?? allocate(t.dtype, t.size);
}

function withImag(re: Tensor, im: Storage): Tensor {
  re._imag = im;
  return re;
}

/** Runs `op` at complex inputs (installed as graph.ts's complexHook). */
function applyComplex<A>(op: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  if (op.complex === undefined) {
    throw new Error(
      `${op.name}: cannot be evaluated at complex inputs (${op.nonAnalytic ?? 'it has no complex evaluation'}); ` +
        "complex-step differentiation needs analytic ops only: use method 'central' instead",
    );
  }
  return op.complex(inputs, attrs);
}
complexHook.apply = applyComplex;

/** Runs `fn` with complex evaluation on (ops read and write `_imag`). */
export function withComplexMode<T>(fn: () => T): T {
  mode.complex++;
  try {
    return fn();
  } finally {
    mode.complex--;
  }
}

type Forward<A> = (inputs: readonly Tensor[], attrs: A) => Tensor;
const part = (t: Tensor, data: Storage): Tensor => new Tensor(data, t.shape);

/** Complex evaluation of an op linear in all its inputs: the forward applied to each part. */
export function linearInParts<A>(forward: Forward<A>): (inputs: readonly Tensor[], attrs: A) => Tensor {
  return (inputs, attrs) => {
    const re = forward(inputs.map((t) => part(t, t.data)), attrs);
    const im = forward(inputs.map((t) => part(t, imagOf(t))), attrs);
    return withImag(re, im.data);
  };
}

/** Complex evaluation of a bilinear op (mul, matmul): (a+ib)∘(c+id) = (ac-bd) + i(ad+bc). */
export function bilinearInParts<A>(forward: Forward<A>): (inputs: readonly Tensor[], attrs: A) => Tensor {
  return ([a, b], attrs) => {
    const ar = part(a, a.data), ai = part(a, imagOf(a)), br = part(b, b.data), bi = part(b, imagOf(b));
    const re = forward([ar, br], attrs), reIm = forward([ai, bi], attrs).data;
    const im1 = forward([ar, bi], attrs).data, im2 = forward([ai, br], attrs).data;
    const r = re.data, im = allocate(re.dtype, re.size);
    for (let i = 0; i < r.length; i++) {
      r[i] -= reIm[i];
      im[i] = im1[i] + im2[i];
    }
    return withImag(re, im);
  };
}

/** Complex evaluation of an elementwise one-input op from its complex scalar function. */
export function complexUnary(fn: (re: number, im: number) => C): (inputs: readonly Tensor[]) => Tensor {
  return ([x]) => {
    const re = allocate(x.dtype, x.size), im = allocate(x.dtype, x.size);
    const xi = imagOf(x);
    for (let i = 0; i < x.size; i++) [re[i], im[i]] = fn(x.data[i], xi[i]);
    return withImag(new Tensor(re, x.shape), im);
  };
}

/** Complex evaluation of an elementwise two-input op with NumPy broadcasting. */
export function complexBinary(fn: (a: C, b: C) => C): (inputs: readonly Tensor[]) => Tensor {
  return ([a, b]) => {
    const shape = broadcastShapes('complex', a.shape, b.shape);
    const sa = broadcastStrides(a.shape, shape), sb = broadcastStrides(b.shape, shape);
    const dtype = a.dtype === 'float64' || b.dtype === 'float64' ? 'float64' : 'float32';
    const n = sizeOf(shape);
    const re = allocate(dtype, n), im = allocate(dtype, n);
    const ai = imagOf(a), bi = imagOf(b);
    for (let o = 0; o < n; o++) {
      let rest = o, oa = 0, ob = 0;
      for (let d = shape.length - 1; d >= 0; d--) {
        const k = rest % shape[d];
        rest = (rest - k) / shape[d];
        oa += k * sa[d];
        ob += k * sb[d];
      }
      [re[o], im[o]] = fn([a.data[oa], ai[oa]], [b.data[ob], bi[ob]]);
    }
    return withImag(new Tensor(re, shape), im);
  };
}

// ---------------------------------------------------------------- complex scalar functions

export const cMul = ([a, b]: C, [c, d]: C): C => [a * c - b * d, a * d + b * c];

export function cDiv([a, b]: C, [c, d]: C): C {
  // Smith's algorithm: no overflow of c² + d² for large operands.
  if (Math.abs(c) >= Math.abs(d)) {
    const r = d / c, den = c + d * r;
    return [(a + b * r) / den, (b - a * r) / den];
  }
  const r = c / d, den = c * r + d;
  return [(a * r + b) / den, (b * r - a) / den];
}

export const cExp = (a: number, b: number): C => {
  const e = Math.exp(a);
  return [e * Math.cos(b), e * Math.sin(b)];
};

export const cLog = (a: number, b: number): C => [Math.log(Math.hypot(a, b)), Math.atan2(b, a)];

export const cSin = (a: number, b: number): C => [Math.sin(a) * Math.cosh(b), Math.cos(a) * Math.sinh(b)];

export const cCos = (a: number, b: number): C => [Math.cos(a) * Math.cosh(b), -Math.sin(a) * Math.sinh(b)];

export function cTanh(a: number, b: number): C {
  // tanh(a+ib) = (sinh 2a + i sin 2b) / (cosh 2a + cos 2b); for large |a| cosh overflows,
  // so use its limit (im decays like 4 sin(2b) e^{-2|a|}).
  if (Math.abs(a) > 20) return [Math.sign(a), 4 * Math.sin(2 * b) * Math.exp(-2 * Math.abs(a))];
  const den = Math.cosh(2 * a) + Math.cos(2 * b);
  return [Math.sinh(2 * a) / den, Math.sin(2 * b) / den];
}

export function cSigmoid(a: number, b: number): C {
  const [tr, ti] = cTanh(a / 2, b / 2);
  return [(1 + tr) / 2, ti / 2];
}

export function cSqrt(a: number, b: number): C {
  // Principal root. The textbook im = sqrt((|z| - a)/2) cancels to 0 for tiny b and a > 0,
  // which would erase a complex step; b / (2 re) keeps every digit.
  const r = Math.hypot(a, b);
  if (a >= 0) {
    const t = Math.sqrt((r + a) / 2);
    return t === 0 ? [0, 0] : [t, b / (2 * t)];
  }
  const t = Math.sqrt((r - a) / 2);
  return [Math.abs(b) / (2 * t), b < 0 || Object.is(b, -0) ? -t : t];
}

export function cPow(z: C, w: C): C {
  // Small integer real exponents by repeated squaring: exp(w log z) would leave a rounding-
  // sized imaginary part at negative real z, swamping a complex step of 1e-20.
  if (w[1] === 0 && Number.isInteger(w[0]) && Math.abs(w[0]) <= 64) {
    let n = Math.abs(w[0]), base = z, acc: C = [1, 0];
    while (n > 0) {
      if (n & 1) acc = cMul(acc, base);
      base = cMul(base, base);
      n >>= 1;
    }
    return w[0] < 0 ? cDiv([1, 0], acc) : acc;
  }
  if (z[0] === 0 && z[1] === 0) return [w[0] > 0 ? 0 : w[0] === 0 ? 1 : Infinity, 0];
  const [lr, li] = cLog(z[0], z[1]);
  const [er, ei] = cMul(w, [lr, li]);
  return cExp(er, ei);
}
