import type { AnyOptimizer } from '../optimizer.js';
import { checkOption } from '../options.js';
import { check } from '../../check.js';
import { LRScheduler } from './scheduler.js';

/** Python's modulo: the result has the sign of the divisor (JS `%` keeps the dividend's). */
function pyMod(a: number, m: number): number {
  return ((a % m) + m) % m;
}

/**
 * Cosine annealing from the base rate to `etaMin` over `tMax` epochs, by PyTorch 1.13's
 * recursive rule (so it composes with manual rate changes, and past `tMax` it rises again
 * along the same cosine): `new CosineAnnealingLR(opt, { tMax: 50, etaMin: 1e-5 })`.
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: AnyOptimizer, opts: { tMax: number; etaMin?: number }) {
    super('CosineAnnealingLR', optimizer);
    const { tMax, etaMin = 0 } = opts ?? ({} as { tMax: number });
    check(Number.isInteger(tMax) && tMax >= 1, () => `CosineAnnealingLR: tMax must be an integer >= 1, got ${String(tMax)}`);
    checkOption('CosineAnnealingLR: etaMin', etaMin);
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.start();
  }

  protected computeLr(current: number[]): number[] {
    const { lastEpoch: t, tMax, etaMin } = this;
    if (t === 0) return current;
    // At the bottom of the cosine the recursive ratio below would divide by zero; PyTorch
    // steps up by the first increment of the next period instead.
    if (pyMod(t - 1 - tMax, 2 * tMax) === 0) {
      return current.map((lr, i) => lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    const ratio = (1 + Math.cos((Math.PI * t) / tMax)) / (1 + Math.cos((Math.PI * (t - 1)) / tMax));
    return current.map((lr) => ratio * (lr - etaMin) + etaMin);
  }
}
