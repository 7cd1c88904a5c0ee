import { Tensor } from '../tensor.js';
import { allocateUninitialized } from '../ops/storage.js';
import { getBackend } from '../backend/index.js';
import type { GatherHandle } from '../backend/backend.js';
import type { Storage } from '../dtype.js';
import { check, fmtShape } from '../check.js';
import { sizeOf } from '../shape.js';

/** Targets: class indices as an Int32Array, or a tensor whose first dimension runs over examples. */
export type Labels = Tensor | Int32Array;

/** A data set the DataLoader can batch: `length` examples, fetched by index. */
export interface Dataset<Y extends Labels = Labels> {
  readonly length: number;
  /** The examples at `indices`, stacked: `[x rows, y rows]`. */
  getBatch(indices: ArrayLike<number>): [Tensor, Y];
  /**
   * Optional hint: `getBatch(indices)` comes next. The DataLoader gives it the next batch's
   * indices before handing out the current one, so the rows can arrive while a step runs.
   */
  prefetch?(indices: ArrayLike<number>): void;
}

/** Rows `indices` of `t` (first dimension) as a new tensor. */
export function takeRows(t: Tensor, indices: ArrayLike<number>): Tensor {
  const rowSize = sizeOf(t.shape.slice(1));
  // Every element is copied below, so the batch skips the zero fill. One kernel call copies
  // the rows (natively one memcpy per row: 128 rows of 784 floats 88 -> 54 us against a
  // typed-array set per row).
  const out = allocateUninitialized(t.dtype, indices.length * rowSize);
  const rows = indices instanceof Int32Array ? indices : Int32Array.from(indices);
  getBackend().takeRows(t.data, rowSize, rows, out);
  return new Tensor(out, [indices.length, ...t.shape.slice(1)]);
}

/** Starts fetching rows `indices` of `t` into the CPU caches (see Dataset.prefetch). */
export function prefetchRows(t: Tensor, indices: ArrayLike<number>): void {
  const rows = indices instanceof Int32Array ? indices : Int32Array.from(indices);
  getBackend().prefetchRows(t.data, sizeOf(t.shape.slice(1)), rows);
}

/** Rows of a tensor being copied ahead of their getBatch by the pool's idle threads. */
interface RowsAhead {
  readonly indices: Int32Array;
  readonly out: Storage;
  /** Returns once every row is in `out` (the backend's, kept: setBackend may come between). */
  readonly finish: () => void;
  /** The source's version when the copy started: an in-place change since voids it. */
  readonly version: number;
}

/**
 * Starts copying rows `indices` of `t` into a new batch on the pool's idle threads; null
 * where the backend has no pool (then only the caches are warmed).
 */
function rowsAhead(t: Tensor, indices: ArrayLike<number>): RowsAhead | null {
  const { gatherRowsStart: start, gatherRowsFinish: finish } = getBackend();
  if (!start || !finish) {
    prefetchRows(t, indices);
    return null;
  }
  const rowSize = sizeOf(t.shape.slice(1));
  // A copy: the caller may reuse its array before getBatch.
  const rows = Int32Array.from(indices);
  const out = allocateUninitialized(t.dtype, rows.length * rowSize);
  const handle: GatherHandle = start(t.data, rowSize, rows, out);
  return { indices: rows, out, finish: () => finish(handle), version: t._version.value };
}

/** The batch `ahead` copied, when it is rows `indices` of `t` as they are now; else null. */
function takeAhead(t: Tensor, ahead: RowsAhead, indices: ArrayLike<number>): Tensor | null {
  ahead.finish();
  if (ahead.version !== t._version.value || ahead.indices.length !== indices.length) return null;
  for (let i = 0; i < indices.length; i++) if (ahead.indices[i] !== indices[i]) return null;
  return new Tensor(ahead.out, [indices.length, ...t.shape.slice(1)]);
}

function takeLabels<Y extends Labels>(y: Y, indices: ArrayLike<number>): Y {
  if (y instanceof Tensor) return takeRows(y, indices) as Y;
  const out = new Int32Array(indices.length);
  for (let i = 0; i < out.length; i++) out[i] = y[indices[i]];
  return out as Y;
}

/** Checks batch indices are integers in [0, length). */
export function checkIndices(fn: string, indices: ArrayLike<number>, length: number): void {
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    check(Number.isInteger(r) && r >= 0 && r < length, () => `${fn}: index ${r} is out of range for ${length} examples`);
  }
}

/**
 * Examples as the rows of `x` with targets `y` (class indices as an Int32Array or number[],
 * or a tensor of targets): `new my.data.TensorDataset(x, labels)`.
 */
export class TensorDataset<Y extends Labels = Labels> implements Dataset<Y> {
  readonly x: Tensor;
  readonly y: Y;
  /** The batch prefetch started, until the getBatch it was for. */
  private ahead: RowsAhead | null = null;

  constructor(x: Tensor, y: Y | number[]) {
    check(x instanceof Tensor && x.ndim >= 1, () => `TensorDataset: x must be a Tensor with a first dimension over examples, got ${x instanceof Tensor ? `shape ${fmtShape(x.shape)}` : String(x)}`);
    let labels: Labels;
    if (Array.isArray(y)) {
      y.forEach((v, i) => check(Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31, () =>
        `TensorDataset: class index ${i} is ${v}, not a 32-bit integer; pass a Tensor for real-valued targets`));
      labels = Int32Array.from(y);
    } else labels = y;
    check(labels instanceof Int32Array || (labels instanceof Tensor && labels.ndim >= 1), () =>
      `TensorDataset: y must be an Int32Array or number[] of class indices, or a Tensor, got ${labels instanceof Tensor ? `shape ${fmtShape(labels.shape)}` : String(labels)}`);
    const count = labels instanceof Tensor ? labels.shape[0] : labels.length;
    check(count === x.shape[0], () => `TensorDataset: x has ${x.shape[0]} examples (shape ${fmtShape(x.shape)}) but y has ${count}`);
    this.x = x.detach();
    this.y = (labels instanceof Tensor ? labels.detach() : labels) as Y;
  }

  get length(): number {
    return this.x.shape[0];
  }

  getBatch(indices: ArrayLike<number>): [Tensor, Y] {
    checkIndices('TensorDataset.getBatch', indices, this.length);
    const ahead = this.ahead;
    this.ahead = null;
    const x = ahead === null ? null : takeAhead(this.x, ahead, indices);
    return [x ?? takeRows(this.x, indices), takeLabels(this.y, indices)];
  }

  /**
   * The rows of the getBatch to come: on the native backend the pool's idle threads copy
   * them into the next batch while the caller trains on this one (as PyTorch's DataLoader
   * workers fetch ahead; an in-place op on x before that getBatch voids the copy).
   */
  prefetch(indices: ArrayLike<number>): void {
    checkIndices('TensorDataset.prefetch', indices, this.length);
    this.ahead?.finish();
    this.ahead = rowsAhead(this.x, indices);
  }
}

/** The examples of `dataset` at `indices`, in that order (what randomSplit returns). */
export class Subset<Y extends Labels = Labels> implements Dataset<Y> {
  readonly dataset: Dataset<Y>;
  readonly indices: Int32Array;

  constructor(dataset: Dataset<Y>, indices: ArrayLike<number>) {
    checkIndices('Subset', indices, dataset.length);
    this.dataset = dataset;
    this.indices = Int32Array.from(indices);
  }

  get length(): number {
    return this.indices.length;
  }

  getBatch(indices: ArrayLike<number>): [Tensor, Y] {
    return this.dataset.getBatch(this.inner('Subset.getBatch', indices));
  }

  prefetch(indices: ArrayLike<number>): void {
    if (this.dataset.prefetch) this.dataset.prefetch(this.inner('Subset.prefetch', indices));
  }

  /** The wrapped data set's indices for `indices` of this subset. */
  private inner(fn: string, indices: ArrayLike<number>): Int32Array {
    checkIndices(fn, indices, this.length);
    return Int32Array.from({ length: indices.length }, (_, i) => this.indices[indices[i]]);
  }
}
