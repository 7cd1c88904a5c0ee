import { check } from '../check.js';
import { rng } from '../random.js';

/** What shuffling and the synthetic data sets draw from. */
export interface RandomSource {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
}

/**
 * A private stream for a `seed` option, so a seeded loader or data set is reproducible
 * whatever else draws from the global generator. SplitMix32 (Steele et al.) is ample for
 * shuffles and toy data. (The global generator's class is not exported by src/random.ts;
 * if it is, this can use it instead.)
 */
class SeededRandom implements RandomSource {
  private state: number;
  private spare: number | null = null;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  private nextU32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }

  uniform(): number {
    return ((this.nextU32() >>> 5) * 67108864 + (this.nextU32() >>> 6)) / 9007199254740992;
  }

  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    // Box–Muller; 1 - u keeps the logarithm's argument in (0, 1].
    const r = Math.sqrt(-2 * Math.log(1 - this.uniform())), a = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(a);
    return r * Math.cos(a);
  }
}

/** A stream of its own for an integer `seed`, else the global one (`my.manualSeed`). */
export function randomSource(fn: string, seed: number | undefined): RandomSource {
  if (seed === undefined) return rng;
  check(Number.isInteger(seed), () => `${fn}: seed must be an integer, got ${String(seed)}`);
  return new SeededRandom(seed);
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
