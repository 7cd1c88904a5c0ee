import { Tensor } from '../../tensor.js';
import { check } from '../../check.js';
import { allocate } from '../../dtype.js';
import { mul } from '../../ops/elementwise.js';
import { asTensor } from '../../ops/util.js';
import { rng } from '../../random.js';

/** Checks a dropout probability: a number in [0, 1). */
export function checkDropoutP(where: string, p: unknown): number {
  check(typeof p === 'number' && p >= 0 && p < 1, () => `${where}: p must be a probability in [0, 1), got ${String(p)}`);
  return p;
}

/**
 * Inverted dropout: zeroes each element with probability p (seeded RNG) and scales the rest
 * by 1/(1-p), so that evaluation needs no rescaling; the identity when not training:
 * `F.dropout(x, { p: 0.5, training: true })`.
 */
export function dropout(input: Tensor, opts: { p?: number; training?: boolean } = {}): Tensor {
  const x = asTensor('dropout', input);
  const p = checkDropoutP('dropout', opts.p ?? 0.5);
  if (opts.training === false || p === 0) return x;
  const keep = allocate(x.dtype, x.size);
  const scale = 1 / (1 - p);
  for (let i = 0; i < keep.length; i++) keep[i] = rng.uniform() >= p ? scale : 0;
  return mul(x, new Tensor(keep, x.shape));
}
