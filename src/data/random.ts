import { check } from '../check.js';
import { Rng, rng } from '../random.js';

/** What shuffling and the synthetic data sets draw from. */
export interface RandomSource {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
}

/**
 * A stream of its own for an integer `seed` (so a seeded loader or data set is reproducible
 * whatever else draws from the global generator), else the global one (`my.manualSeed`).
 */
export function randomSource(fn: string, seed: number | undefined): RandomSource {
  if (seed === undefined) return rng;
  check(Number.isInteger(seed), () => `${fn}: seed must be an integer, got ${String(seed)}`);
  return new Rng(seed);
}

/** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
export function permutation(n: number, random: RandomSource): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random.uniform() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
