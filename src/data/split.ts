import { check } from '../check.js';
import { Subset, type Dataset, type Labels } from './dataset.js';
import { permutation, randomSource } from './random.js';

/**
 * Splits a data set at random into non-overlapping subsets, by fractions summing to 1 (the
 * rounding remainder goes one example each to the first subsets, as in PyTorch) or by
 * lengths summing to its size: `const [train, val] = my.data.randomSplit(ds, [0.8, 0.2], { seed: 0 })`.
 */
export function randomSplit<Y extends Labels>(dataset: Dataset<Y>, sizes: number[], opts: { seed?: number } = {}): Subset<Y>[] {
  check(dataset !== null && typeof dataset === 'object' && Number.isInteger(dataset.length), () => `randomSplit: expected a data set, got ${String(dataset)}`);
  check(Array.isArray(sizes) && sizes.length > 0 && sizes.every((s) => typeof s === 'number' && s >= 0 && Number.isFinite(s)), () =>
    `randomSplit: expected non-negative fractions or lengths, got ${JSON.stringify(sizes)}`);
  const n = dataset.length;
  const total = sizes.reduce((a, b) => a + b, 0);
  let lengths: number[];
  if (sizes.every((s) => s <= 1) && Math.abs(total - 1) < 1e-9 && total <= n) {
    lengths = sizes.map((f) => Math.floor(n * f));
    const remainder = n - lengths.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) lengths[i % lengths.length]++;
  } else {
    check(sizes.every(Number.isInteger) && total === n, () =>
      `randomSplit: ${JSON.stringify(sizes)} are neither fractions summing to 1 nor lengths summing to the data set's ${n} examples`);
    lengths = sizes;
  }
  const order = permutation(n, randomSource('randomSplit', opts.seed));
  let start = 0;
  return lengths.map((len) => new Subset(dataset, order.subarray(start, (start += len))));
}
