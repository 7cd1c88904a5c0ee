import type { Tensor } from '../tensor.js';
import { fromStorage } from '../creation.js';
import { check } from '../check.js';
import { randomSource, type RandomSource } from './random.js';

/** Two-dimensional points with class indices. */
export interface Points {
  /** [n, 2] float32. */
  x: Tensor;
  y: Int32Array;
}

interface Common {
  n?: number;
  /** Standard deviation of the Gaussian noise. */
  noise?: number;
  /** A stream of its own (reproducible); else `my.manualSeed`'s. */
  seed?: number;
}

function setup(fn: string, opts: Common, defaults: { n: number; noise: number }, minN = 1): { n: number; noise: number; random: RandomSource } {
  const { n = defaults.n, noise = defaults.noise, seed } = opts;
  check(Number.isInteger(n) && n >= minN, () => `${fn}: n must be an integer >= ${minN}, got ${String(n)}`);
  check(typeof noise === 'number' && noise >= 0 && Number.isFinite(noise), () => `${fn}: noise must be a number >= 0, got ${String(noise)}`);
  return { n, noise, random: randomSource(fn, seed) };
}

/** `i/(m-1)` stepping from 0 to 1 over m points (0 for a single point). */
const along = (i: number, m: number) => (m > 1 ? i / (m - 1) : 0);

/**
 * `classes` interleaved spiral arms of n points in all (the classic CS231n set): arm k
 * sweeps radius 0→1 over angles 4k→4(k+1) radians, angles jittered by `noise`:
 * `my.data.spirals({ n: 300, classes: 3, noise: 0.2, seed: 0 })`.
 */
export function spirals(opts: Common & { classes?: number } = {}): Points {
  const { classes = 3 } = opts;
  check(Number.isInteger(classes) && classes >= 2, () => `spirals: classes must be an integer >= 2, got ${String(classes)}`);
  const { n, noise, random } = setup('spirals', opts, { n: 300, noise: 0.2 }, classes);
  const x = new Float32Array(2 * n), y = new Int32Array(n);
  let row = 0;
  for (let k = 0; k < classes; k++) {
    // The first n % classes arms take one extra point.
    const m = Math.floor(n / classes) + (k < n % classes ? 1 : 0);
    for (let i = 0; i < m; i++, row++) {
      const r = along(i, m), t = 4 * k + 4 * along(i, m) + noise * random.normal();
      x[2 * row] = r * Math.sin(t);
      x[2 * row + 1] = r * Math.cos(t);
      y[row] = k;
    }
  }
  return { x: fromStorage(x, [n, 2]), y };
}

/**
 * Two interleaving half circles (scikit-learn's make_moons, unshuffled): class 0 the upper
 * arc of radius 1 at the origin, class 1 the lower arc shifted by (1, -0.5), plus noise:
 * `my.data.moons({ n: 200, noise: 0.1, seed: 0 })`.
 */
export function moons(opts: Common = {}): Points {
  const { n, noise, random } = setup('moons', opts, { n: 200, noise: 0.1 }, 2);
  const outer = Math.floor(n / 2);
  const x = new Float32Array(2 * n), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const inner = i >= outer;
    const m = inner ? n - outer : outer, j = inner ? i - outer : i;
    const a = Math.PI * along(j, m);
    x[2 * i] = (inner ? 1 - Math.cos(a) : Math.cos(a)) + noise * random.normal();
    x[2 * i + 1] = (inner ? 0.5 - Math.sin(a) : Math.sin(a)) + noise * random.normal();
    y[i] = inner ? 1 : 0;
  }
  return { x: fromStorage(x, [n, 2]), y };
}

/**
 * The XOR problem: point i sits at corner (a, b) = ((i>>1)&1, i&1) of the unit square plus
 * Gaussian noise, labelled a XOR b; `{ n: 4, noise: 0 }` is exactly the truth table:
 * `my.data.xor({ n: 200, noise: 0.1, seed: 0 })`.
 */
export function xor(opts: Common = {}): Points {
  const { n, noise, random } = setup('xor', opts, { n: 200, noise: 0.1 });
  const x = new Float32Array(2 * n), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const a = (i >> 1) & 1, b = i & 1;
    x[2 * i] = a + noise * random.normal();
    x[2 * i + 1] = b + noise * random.normal();
    y[i] = a ^ b;
  }
  return { x: fromStorage(x, [n, 2]), y };
}
