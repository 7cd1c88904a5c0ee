import { Tensor } from '../tensor.js';
import { check, fmtShape } from '../check.js';
import { rng } from '../random.js';
import { takeRows } from '../data/dataset.js';
import { permutation } from '../data/random.js';
import { describe } from '../ops/util.js';

/** Targets of a batch: a Tensor, or class indices as an Int32Array or number[]. */
export type Labels = Tensor | Int32Array | readonly number[];
export type Batch = readonly [Tensor, Labels];

/** Whole arrays that `fit` cuts into batches itself (shuffled each epoch for training, as Keras does). */
export interface ArraysInput {
  x: Tensor;
  y: Labels;
  /** Default 32. */
  batchSize?: number;
  /** Default true for `train`, false for `validation`. */
  shuffle?: boolean;
}

/** What `train` and `validation` accept: a DataLoader (any re-iterable of [x, y] batches) or arrays. */
export type DataInput = Iterable<Batch> | ArraysInput;

/** Batches for one epoch at a time, and how many there are when known (for the progress bar). */
export interface BatchSource {
  epoch(): Iterable<Batch>;
  readonly length: number | undefined;
}

/** Turns `train`/`validation` into a BatchSource, checking it names what is wrong. */
export function batchSource(arg: string, input: DataInput, shuffleDefault: boolean): BatchSource {
  check(input !== null && typeof input === 'object', () => `fit: ${arg} must be a DataLoader or { x, y, batchSize? }, got ${describe(input)}`);
  if (Symbol.iterator in input) {
    const iterable = input as Iterable<Batch> & { length?: unknown };
    // A generator or iterator is used up after one epoch; a DataLoader starts afresh each time.
    check(iterable[Symbol.iterator]() !== (iterable as unknown), () =>
      `fit: ${arg} is a one-shot iterator; pass a DataLoader (or an array of batches) so each epoch can iterate it again`);
    const length = typeof iterable.length === 'number' ? iterable.length : undefined;
    return { epoch: () => iterable, length };
  }
  return arraysSource(arg, input as ArraysInput, shuffleDefault);
}

function arraysSource(arg: string, input: ArraysInput, shuffleDefault: boolean): BatchSource {
  const { x, y } = input;
  const batchSize = input.batchSize ?? 32;
  const shuffle = input.shuffle ?? shuffleDefault;
  check(x instanceof Tensor && x.ndim >= 1, () => `fit: ${arg}.x must be a Tensor [examples, ...], got ${describe(x)}`);
  const n = x.shape[0];
  check(y instanceof Tensor || y instanceof Int32Array || Array.isArray(y), () =>
    `fit: ${arg}.y must be a Tensor, an Int32Array or a number[], got ${describe(y)}`);
  const yLength = y instanceof Tensor ? (y.ndim === 0 ? 0 : y.shape[0]) : y.length;
  check(yLength === n, () =>
    `fit: ${arg}.x ${fmtShape(x.shape)} has ${n} examples but ${arg}.y ${y instanceof Tensor ? fmtShape(y.shape) : `[${y.length}]`} has ${yLength}`);
  check(Number.isInteger(batchSize) && batchSize > 0, () => `fit: ${arg}.batchSize must be a positive integer, got ${String(batchSize)}`);
  check(n > 0, () => `fit: ${arg} has no examples`);
  const length = Math.ceil(n / batchSize);
  function* epoch(): Generator<Batch> {
    const order = shuffle ? permutation(n, rng) : null;
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      const rows = order ? order.subarray(start, end) : range(start, end);
      yield [takeRows(x, rows), takeLabels(y, rows)];
    }
  }
  return { epoch, length };
}

function range(start: number, end: number): Int32Array {
  const r = new Int32Array(end - start);
  for (let i = 0; i < r.length; i++) r[i] = start + i;
  return r;
}

function takeLabels(y: Labels, rows: Int32Array): Labels {
  if (y instanceof Tensor) return takeRows(y, rows);
  if (!(y instanceof Int32Array)) return Array.from(rows, (r) => y[r]);
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = y[rows[i]];
  return out;
}

/** The number of examples in a batch's targets. */
export function labelCount(y: Labels): number {
  return y instanceof Tensor ? (y.ndim === 0 ? 1 : y.shape[0]) : y.length;
}
