import type { Storage } from '../dtype.js';
import type { ActivationKind, Backend, FusedKernels } from './backend.js';

// Scalar definitions of the activation kernels: the specification the native epilogue matches.

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327;
const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * erfc(x) to ~1e-16 relative for x >= 0. Below 3 the all-positive series
 * erf(x) = 2/√π e^(-x²) Σ 2ⁿx^(2n+1)/(1·3···(2n+1)) has no cancellation; above it the
 * continued fraction for erfc converges in a few dozen terms.
 */
function erfcNonNegative(x: number): number {
  if (x < 3) {
    let term = x, sum = x;
    for (let n = 1; term > 1e-17 * sum; n++) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
    }
    return 1 - TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
  }
  if (x > 27) return 0;
  let f = x;
  for (let n = 60; n >= 1; n--) f = x + n / 2 / f;
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/** Complementary error function; erfc(-x) = 2 - erfc(x). */
export function erfc(x: number): number {
  if (x !== x) return x;
  return x >= 0 ? erfcNonNegative(x) : 2 - erfcNonNegative(-x);
}

/** Error function, exact to double precision near 0 (no 1 - erfc cancellation there). */
export function erf(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a < 3) {
    let term = a, sum = a;
    for (let n = 1; term > 1e-17 * sum; n++) {
      term *= (2 * a * a) / (2 * n + 1);
      sum += term;
    }
    const v = TWO_OVER_SQRT_PI * Math.exp(-a * a) * sum;
    return x < 0 ? -v : v;
  }
  const v = 1 - erfcNonNegative(a);
  return x < 0 ? -v : v;
}

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** act(x, param): param is the negative slope (leakyRelu) or alpha (elu). */
const forwardFns: Record<ActivationKind, (x: number, p: number) => number> = {
  identity: (x) => x,
  relu: (x) => (x > 0 ? x : x === x ? 0 : x),
  leakyRelu: (x, p) => (x > 0 ? x : p * x),
  // expm1 keeps elu exact near 0, where exp(x) - 1 cancels.
  elu: (x, p) => (x > 0 ? x : p * Math.expm1(x)),
  // Through erfc, so that gelu stays accurate (not 0) for large negative x.
  gelu: (x) => 0.5 * x * erfc(-x * SQRT1_2),
  silu: (x) => x * sigmoid(x),
  sigmoid,
  tanh: Math.tanh,
  erf,
  // max(x, 0) + log1p(e^-|x|): exact for large |x| of either sign.
  softplus: (x) => (x > 0 ? x : 0) + Math.log1p(Math.exp(-Math.abs(x))),
  heaviside: (x) => (x >= 0 ? 1 : x === x ? 0 : x),
};

/**
 * act'(·) from the output y or the input x (whichever the kind needs; the op passes the
 * input whenever the output does not determine the slope).
 */
const slopeFns: Record<ActivationKind, (y: number, x: number, p: number) => number> = {
  identity: () => 1,
  relu: (y) => (y > 0 ? 1 : 0),
  leakyRelu: (y, _x, p) => (y > 0 ? 1 : p),
  elu: (y, _x, p) => (y > 0 ? 1 : y + p),
  gelu: (_y, x) => 0.5 * erfc(-x * SQRT1_2) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x),
  silu: (_y, x) => { const s = sigmoid(x); return s * (1 + x * (1 - s)); },
  sigmoid: (y) => y * (1 - y),
  tanh: (y) => 1 - y * y,
  erf: (_y, x) => TWO_OVER_SQRT_PI * Math.exp(-x * x),
  softplus: (_y, x) => sigmoid(x),
  heaviside: () => 0,
};

function unknownActivation(op: string, kind: string): never {
  throw new Error(`${op}: unknown activation '${kind}'`);
}

/** The fused nn kernels in TypeScript: the reference and fallback of the native ones. */
export const jsFusedKernels: FusedKernels = {
  /**
   * The backend's own GEMM (native or TypeScript) then the bias+activation epilogue in one
   * pass; the native addon replaces this with a GEMM whose micro-kernel applies the epilogue.
   */
  linearForward(this: Backend, x, w, bias, activation, actParam, out, m, n, k) {
    const f = forwardFns[activation] ?? unknownActivation('linearForward', activation);
    this.gemm(false, true, m, n, k, 1, x, k, w, k, 0, out, n);
    if (activation === 'identity' && bias === null) return;
    for (let i = 0; i < m; i++) {
      const row = i * n;
      if (bias === null) for (let j = 0; j < n; j++) out[row + j] = f(out[row + j], actParam);
      else for (let j = 0; j < n; j++) out[row + j] = f(out[row + j] + bias[j], actParam);
    }
  },

  activationForward(activation, actParam, x, out) {
    const f = forwardFns[activation] ?? unknownActivation('activationForward', activation);
    for (let i = 0; i < out.length; i++) out[i] = f(x[i], actParam);
  },

  activationBackward(activation, actParam, dy, y, x, out) {
    const d = slopeFns[activation] ?? unknownActivation('activationBackward', activation);
    const xs: Storage = x ?? y;
    for (let i = 0; i < out.length; i++) out[i] = dy[i] * d(y[i], xs[i], actParam);
  },

  biasGrad(dy, m, n, out) {
    out.fill(0);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j] += dy[i * n + j];
  },

  softmax(log, x, outer, run, inner, out) {
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * run * inner + i;
        // NaN anywhere makes the max, and so the whole slice, NaN.
        let mx = -Infinity;
        for (let r = 0; r < run; r++) {
          const v = x[base + r * inner];
          if (v > mx || v !== v) mx = v;
        }
        let s = 0;
        for (let r = 0; r < run; r++) s += Math.exp(x[base + r * inner] - mx);
        const lse = Math.log(s);
        for (let r = 0; r < run; r++) {
          const k = base + r * inner;
          out[k] = log ? x[k] - mx - lse : Math.exp(x[k] - mx) / s;
        }
      }
    }
  },

  softmaxCrossEntropy(logits, m, n, targets, outLoss, outProb) {
    for (let i = 0; i < m; i++) {
      const r = i * n;
      let mx = -Infinity;
      for (let j = 0; j < n; j++) if (logits[r + j] > mx) mx = logits[r + j];
      // The max shift keeps exp from overflowing; log Σ exp is then at least 0.
      let s = 0;
      for (let j = 0; j < n; j++) s += Math.exp(logits[r + j] - mx);
      const lse = mx + Math.log(s);
      for (let j = 0; j < n; j++) outProb[r + j] = Math.exp(logits[r + j] - lse);
      outLoss[i] = lse - logits[r + targets[i]];
    }
  },

  softmaxCrossEntropyBackward(prob, targets, gradLoss, out) {
    const m = targets.length, n = m === 0 ? 0 : prob.length / m;
    for (let i = 0; i < m; i++) {
      const r = i * n, g = gradLoss[i];
      for (let j = 0; j < n; j++) out[r + j] = prob[r + j] * g;
      out[r + targets[i]] -= g;
    }
  },
};
