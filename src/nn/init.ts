import type { Tensor } from '../tensor.js';
import { check, fmtShape } from '../check.js';
import { rng } from '../random.js';
import { asTensor } from '../ops/util.js';

/** Fills in place (outside the graph) and bumps the version, like the other in-place writes. */
function fill(op: string, target: Tensor, draw: () => number): Tensor {
  const t = asTensor(`init.${op}`, target, 'tensor');
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = draw();
  t._bumpVersion();
  return t;
}

/** fan_in and fan_out as PyTorch computes them ([out, in, ...receptive field]). */
export function fans(t: Tensor): { fanIn: number; fanOut: number } {
  check(t.ndim >= 2, () => `init: fan in and fan out need a tensor of at least 2 dims, got ${fmtShape(t.shape)}`);
  let receptive = 1;
  for (let i = 2; i < t.ndim; i++) receptive *= t.shape[i];
  return { fanIn: t.shape[1] * receptive, fanOut: t.shape[0] * receptive };
}

export type Nonlinearity = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

/** The recommended gain for a nonlinearity (torch.nn.init.calculate_gain). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'sigmoid': return 1;
    case 'tanh': return 5 / 3;
    case 'relu': return Math.SQRT2;
    case 'leaky_relu': { const a = param ?? 0.01; return Math.sqrt(2 / (1 + a * a)); }
    case 'selu': return 3 / 4;
    default: throw new Error(`calculateGain: unknown nonlinearity '${String(nonlinearity)}'`);
  }
}

/** U(a, b) in place: `init.uniform(w, -0.1, 0.1)`. */
export function uniform(t: Tensor, a = 0, b = 1): Tensor {
  check(a <= b, () => `init.uniform: a ${a} must not exceed b ${b}`);
  return fill('uniform', t, () => a + (b - a) * rng.uniform());
}

/** N(mean, std²) in place. */
export function normal(t: Tensor, mean = 0, std = 1): Tensor {
  check(std >= 0, () => `init.normal: std must be >= 0, got ${std}`);
  return fill('normal', t, () => mean + std * rng.normal());
}

/** Zeros in place. */
export function zeros(t: Tensor): Tensor {
  return fill('zeros', t, () => 0);
}

export interface KaimingOptions {
  a?: number;
  mode?: 'fanIn' | 'fanOut';
  nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, { a = 0, mode = 'fanIn', nonlinearity = 'leaky_relu' }: KaimingOptions): number {
  const { fanIn, fanOut } = fans(t);
  return calculateGain(nonlinearity, a) / Math.sqrt(mode === 'fanIn' ? fanIn : fanOut);
}

/** He uniform: U(-b, b) with b = gain·sqrt(3 / fan). Linear's weights use a = sqrt(5). */
export function kaimingUniform(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, opts);
  return uniform(t, -bound, bound);
}

/** He normal: N(0, gain² / fan). */
export function kaimingNormal(t: Tensor, opts: KaimingOptions = {}): Tensor {
  return normal(t, 0, kaimingStd(t, opts));
}

/** Glorot uniform: U(-b, b) with b = gain·sqrt(6 / (fan_in + fan_out)). */
export function xavierUniform(t: Tensor, gain = 1): Tensor {
  const { fanIn, fanOut } = fans(t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(t, -bound, bound);
}

/** Glorot normal: N(0, gain²·2 / (fan_in + fan_out)). */
export function xavierNormal(t: Tensor, gain = 1): Tensor {
  const { fanIn, fanOut } = fans(t);
  return normal(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
}
