import type { DType, Storage } from '../dtype.js';

/** Arrays of the parameters queued under one key: lists[k][i] is array k of parameter i. */
interface Batch<C> {
  coefficients: C;
  dtype: DType;
  /** Bit k set when the parameters have array k (vmax, the momentum buffer are optional). */
  present: number;
  lists: Storage[][];
}

/**
 * The updates of one optimizer step, queued so that parameters sharing coefficients go to
 * the backend in one multi-tensor call: `add` per parameter from update(), `flush` from
 * flush(). Parameters are grouped by the coefficients object (the same object for every
 * parameter of a step unless groups or step counts differ), dtype and optional arrays.
 */
export class UpdateBatches<C> {
  private batches: Batch<C>[] = [];

  /** Queues one parameter's arrays; `arrays[0]` is the parameter's data, null marks an absent optional array. */
  add(coefficients: C, dtype: DType, arrays: readonly (Storage | null)[]): void {
    let present = 0;
    for (let k = 0; k < arrays.length; k++) if (arrays[k] !== null) present |= 1 << k;
    let batch = this.batches.find((b) => b.coefficients === coefficients && b.dtype === dtype && b.present === present);
    if (batch === undefined) {
      batch = { coefficients, dtype, present, lists: arrays.map(() => []) };
      this.batches.push(batch);
    }
    for (let k = 0; k < arrays.length; k++) if (arrays[k] !== null) batch.lists[k].push(arrays[k]!);
  }

  /**
   * Runs every queued batch through `run` (absent optional arrays as null lists) and empties
   * the queue. Parameters whose data share an ArrayBuffer (views of one buffer) go one call
   * each, since the native kernel updates the parameters of one call concurrently.
   */
  flush(run: (coefficients: C, lists: (Storage[] | null)[]) => void): void {
    const batches = this.batches;
    this.batches = [];
    for (const b of batches) {
      const lists = b.lists.map((l, k) => (b.present & (1 << k) ? l : null));
      if (!sharesBuffer(b.lists[0])) {
        run(b.coefficients, lists);
        continue;
      }
      for (let i = 0; i < b.lists[0].length; i++) run(b.coefficients, lists.map((l) => (l === null ? null : [l[i]])));
    }
  }
}

function sharesBuffer(ws: readonly Storage[]): boolean {
  if (ws.length < 2) return false;
  const seen = new Set<ArrayBufferLike>();
  for (const w of ws) {
    if (seen.has(w.buffer)) return true;
    seen.add(w.buffer);
  }
  return false;
}
