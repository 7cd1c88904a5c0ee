import type { Tensor } from '../tensor.js';
import { check } from '../check.js';
import type { Dataset, Labels } from './dataset.js';
import { permutation, randomSource, type RandomSource } from './random.js';

export interface DataLoaderOptions {
  batchSize?: number;
  /** Reshuffle at the start of every pass. */
  shuffle?: boolean;
  /** Drop the last batch when it is smaller than batchSize. */
  dropLast?: boolean;
  /** Shuffle from a stream of the loader's own, so its order is reproducible; else from `my.manualSeed`'s. */
  seed?: number;
}

/**
 * Batches of a data set, iterable once per epoch:
 * `for (const [xb, yb] of new my.data.DataLoader(ds, { batchSize: 64, shuffle: true, seed: 0 }))`.
 */
export class DataLoader<Y extends Labels = Labels> implements Iterable<[Tensor, Y]> {
  readonly dataset: Dataset<Y>;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly random: RandomSource;

  constructor(dataset: Dataset<Y>, opts: DataLoaderOptions = {}) {
    check(dataset !== null && typeof dataset === 'object' && Number.isInteger(dataset.length) && typeof dataset.getBatch === 'function', () =>
      `DataLoader: expected a data set with length and getBatch (e.g. a TensorDataset), got ${String(dataset)}`);
    const { batchSize = 1, shuffle = false, dropLast = false, seed } = opts;
    check(Number.isInteger(batchSize) && batchSize >= 1, () => `DataLoader: batchSize must be an integer >= 1, got ${String(batchSize)}`);
    check(typeof shuffle === 'boolean' && typeof dropLast === 'boolean', () => 'DataLoader: shuffle and dropLast must be booleans');
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.random = randomSource('DataLoader', seed);
  }

  /** Batches per pass. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<[Tensor, Y]> {
    const n = this.dataset.length;
    const order = this.shuffle ? permutation(n, this.random) : null;
    const end = this.dropLast ? n - (n % this.batchSize) : n;
    const batchAt = (start: number): Int32Array => {
      const stop = Math.min(start + this.batchSize, n);
      return order ? order.subarray(start, stop) : Int32Array.from({ length: stop - start }, (_, i) => start + i);
    };
    for (let start = 0; start < end; start += this.batchSize) {
      const batch = this.dataset.getBatch(batchAt(start));
      // The next batch's rows start arriving while the caller trains on this one (for a
      // shuffled pass over Fashion-MNIST at batch 32 the gather took 22-29 us of a step).
      if (this.dataset.prefetch && start + this.batchSize < end) this.dataset.prefetch(batchAt(start + this.batchSize));
      yield batch;
    }
  }
}
