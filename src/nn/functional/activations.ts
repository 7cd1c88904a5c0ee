import { Tensor } from '../../tensor.js';
import { check, fmtShape } from '../../check.js';
import {
  abs, add, div, exp, ge, gt, le, lt, mul, neg, relu as reluOp, sigmoid as sigmoidOp, sin, square, sub,
  tanh as tanhOp, where,
} from '../../ops/elementwise.js';
import { reshape } from '../../ops/shape.js';
import { activation } from '../../ops/activation.js';
import { logSoftmax as logSoftmaxOp, softmax as softmaxOp } from '../../ops/softmax.js';
import { asTensor } from '../../ops/util.js';
import { rng } from '../../random.js';
import { allocate } from '../../dtype.js';

/** A finite number option, or its default; names the function and option on bad input. */
export function numberOption(fn: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  check(typeof value === 'number' && Number.isFinite(value), () => `${fn}: ${name} must be a finite number, got ${String(value)}`);
  return value;
}

/** max(x, 0): `F.relu(x)`. */
export function relu(x: Tensor): Tensor {
  return reluOp(asTensor('relu', x));
}

/** 1 / (1 + e^-x), exact for large |x|. */
export function sigmoid(x: Tensor): Tensor {
  return sigmoidOp(asTensor('sigmoid', x));
}

export function tanh(x: Tensor): Tensor {
  return tanhOp(asTensor('tanh', x));
}

/** x for x > 0, else negativeSlope·x (default 0.01): `F.leakyRelu(x, { negativeSlope: 0.1 })`. */
export function leakyRelu(input: Tensor, opts: { negativeSlope?: number } = {}): Tensor {
  const x = asTensor('leakyRelu', input);
  const slope = numberOption('leakyRelu', 'negativeSlope', opts.negativeSlope, 0.01);
  // The kernel takes its slope from the output, which needs slope >= 0; others compose.
  return slope >= 0 ? activation(x, 'leakyRelu', slope) : where(gt(x, 0), x, mul(x, slope));
}

/** x for x > 0, else alpha·(e^x - 1) (default alpha 1): `F.elu(x, { alpha: 1 })`. */
export function elu(input: Tensor, opts: { alpha?: number } = {}): Tensor {
  const x = asTensor('elu', input);
  const alpha = numberOption('elu', 'alpha', opts.alpha, 1);
  return alpha >= 0 ? activation(x, 'elu', alpha) : where(gt(x, 0), x, mul(sub(exp(x), 1), alpha));
}

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/** scale·elu(x, alpha) with the self-normalising constants of Klambauer et al. (PyTorch's). */
export function selu(x: Tensor): Tensor {
  return mul(elu(asTensor('selu', x), { alpha: SELU_ALPHA }), SELU_SCALE);
}

/**
 * x·Φ(x) (the erf form, PyTorch's default), or with `approximate: 'tanh'`
 * 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))): `F.gelu(x)`.
 */
export function gelu(input: Tensor, opts: { approximate?: 'none' | 'tanh' } = {}): Tensor {
  const x = asTensor('gelu', input);
  const approximate = opts.approximate ?? 'none';
  check(approximate === 'none' || approximate === 'tanh', () => `gelu: approximate must be 'none' or 'tanh', got '${String(approximate)}'`);
  if (approximate === 'none') return activation(x, 'gelu');
  const inner = mul(add(x, mul(mul(square(x), x), 0.044715)), Math.sqrt(2 / Math.PI));
  return mul(mul(x, 0.5), add(tanhOp(inner), 1));
}

/** x·σ(x) (Swish). */
export function silu(x: Tensor): Tensor {
  return activation(asTensor('silu', x), 'silu');
}

/**
 * log(1 + e^(βx))/β, and x itself where βx > threshold (defaults β 1, threshold 20, as in
 * PyTorch). The kernel's max(z,0) + log1p(e^-|z|) stays exact for large |z| of either sign.
 */
export function softplus(input: Tensor, opts: { beta?: number; threshold?: number } = {}): Tensor {
  const x = asTensor('softplus', input);
  const beta = numberOption('softplus', 'beta', opts.beta, 1);
  const threshold = numberOption('softplus', 'threshold', opts.threshold, 20);
  check(beta !== 0, () => 'softplus: beta must be nonzero');
  const bx = beta === 1 ? x : mul(x, beta);
  const soft = activation(bx, 'softplus');
  return where(gt(bx, threshold), x, beta === 1 ? soft : div(soft, beta));
}

/** x / (1 + |x|). */
export function softsign(input: Tensor): Tensor {
  const x = asTensor('softsign', input);
  return div(x, add(abs(x), 1));
}

/** x·tanh(softplus(x)). */
export function mish(input: Tensor): Tensor {
  const x = asTensor('mish', input);
  return mul(x, tanhOp(activation(x, 'softplus')));
}

/** x clamped to [minVal, maxVal] (default [-1, 1]); gradient 1 strictly inside, 0 outside, as in PyTorch. */
export function hardtanh(input: Tensor, opts: { minVal?: number; maxVal?: number } = {}): Tensor {
  const x = asTensor('hardtanh', input);
  const lo = numberOption('hardtanh', 'minVal', opts.minVal, -1);
  const hi = numberOption('hardtanh', 'maxVal', opts.maxVal, 1);
  check(lo <= hi, () => `hardtanh: minVal ${lo} must not exceed maxVal ${hi}`);
  return where(le(x, lo), lo, where(ge(x, hi), hi, x));
}

/** log σ(x) = -softplus(-x): exact for large |x| (no log of a rounded-to-0 sigmoid). */
export function logSigmoid(input: Tensor): Tensor {
  return neg(activation(neg(asTensor('logSigmoid', input)), 'softplus'));
}

/** 1 where x >= 0, else 0 (the lectures' step function); its gradient is 0 everywhere. */
export function step(input: Tensor): Tensor {
  return activation(asTensor('step', input), 'heaviside');
}

/**
 * sin(x)/x with its limit 1 at 0 (unnormalised, as in the lectures; torch.sinc is
 * sin(πx)/(πx)). Near 0 a Taylor polynomial gives the right value and derivatives
 * (slope 0, curvature -1/3) without dividing by 0 in either branch.
 */
export function sinc(input: Tensor): Tensor {
  const x = asTensor('sinc', input);
  const small = lt(abs(x), 1e-2);
  const safe = where(small, 1, x);
  const x2 = square(x);
  const taylor = add(sub(1, div(x2, 6)), div(square(x2), 120));
  return where(small, taylor, div(sin(safe), safe));
}

/** x for x > 0, else weight·x, one learnable slope per channel (dim 1) or one shared. */
export function prelu(input: Tensor, weight: Tensor): Tensor {
  const x = asTensor('prelu', input), w = asTensor('prelu', weight, 'weight');
  check(w.ndim === 1, () => `prelu: weight must be 1-D, got ${fmtShape(w.shape)}`);
  const channels = x.ndim >= 2 ? x.shape[1] : 1;
  check(w.shape[0] === 1 || w.shape[0] === channels, () =>
    `prelu: weight ${fmtShape(w.shape)} must have 1 or ${channels} elements (input ${fmtShape(x.shape)}, channels in dim 1)`);
  const a = w.shape[0] === 1 || x.ndim < 2 ? w : reshape(w, [channels, ...x.shape.slice(2).map(() => 1)]);
  return where(gt(x, 0), x, mul(a, x));
}

export interface RReLUOptions {
  lower?: number;
  upper?: number;
  training?: boolean;
}

/**
 * x for x > 0, else a·x with a ~ U(lower, upper) per element in training (from the seeded
 * RNG) and a = (lower + upper)/2 otherwise (defaults 1/8, 1/3, training false).
 */
export function rrelu(input: Tensor, opts: RReLUOptions = {}): Tensor {
  const x = asTensor('rrelu', input);
  const lower = numberOption('rrelu', 'lower', opts.lower, 1 / 8);
  const upper = numberOption('rrelu', 'upper', opts.upper, 1 / 3);
  check(lower <= upper, () => `rrelu: lower ${lower} must not exceed upper ${upper}`);
  if (!opts.training) return where(gt(x, 0), x, mul(x, (lower + upper) / 2));
  const slopes = allocate(x.dtype, x.size);
  for (let i = 0; i < slopes.length; i++) slopes[i] = lower + (upper - lower) * rng.uniform();
  return where(gt(x, 0), x, mul(x, new Tensor(slopes, x.shape)));
}

export interface DimOptions {
  dim?: number;
}

/**
 * log(softmax(x)) along `dim` (default -1), computed as (x - max) - log Σ exp(x - max) so
 * that large logits never overflow, in one kernel: `F.logSoftmax(x, { dim: 1 })`.
 */
export function logSoftmax(input: Tensor, opts: DimOptions = {}): Tensor {
  return logSoftmaxOp(input, opts.dim ?? -1);
}

/** exp(x - max) / Σ exp(x - max) along `dim` (default -1), in one kernel. */
export function softmax(input: Tensor, opts: DimOptions = {}): Tensor {
  return softmaxOp(input, opts.dim ?? -1);
}
