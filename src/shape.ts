import { check, fmtShape } from './check.js';

export type Shape = readonly number[];

/** Number of elements of a shape. */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/**
 * The shape viewed as [outer, run, inner] around dims first..last (inclusive): the sizes
 * before, of and after them. A 0-d shape is [1, 1, 1].
 */
export function splitAround(shape: Shape, first: number, last: number): [number, number, number] {
  let outer = 1, run = 1, inner = 1;
  for (let i = 0; i < shape.length; i++) {
    if (i < first) outer *= shape[i];
    else if (i <= last) run *= shape[i];
    else inner *= shape[i];
  }
  return [outer, run, inner];
}

/**
 * Sorted axes grouped into runs of adjacent ones, each as [first, last]: [2, 0, 3] gives
 * [[0, 0], [2, 3]]; a repeated axis counts once.
 */
export function axisRuns(axes: readonly number[]): [number, number][] {
  const sorted = [...axes].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const a of sorted) {
    const last = runs[runs.length - 1];
    if (last && a === last[1] + 1) last[1] = a;
    else if (!last || a > last[1]) runs.push([a, a]);
  }
  return runs;
}

/** Row-major strides of a contiguous tensor of this shape. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Validates a user-given shape: non-negative safe integers. */
export function checkShape(op: string, shape: unknown): number[] {
  check(Array.isArray(shape), () => `${op}: shape must be an array of non-negative integers, got ${String(shape)}`);
  const arr = shape as unknown[];
  for (const d of arr) {
    check(
      typeof d === 'number' && Number.isSafeInteger(d) && d >= 0,
      () => `${op}: shape ${fmtShape(arr as number[])} must hold non-negative integers, got ${String(d)}`,
    );
  }
  const out = arr as number[];
  check(sizeOf(out) <= 2 ** 32, () => `${op}: shape ${fmtShape(out)} has more than 2^32 elements`);
  return out.slice();
}

/** The NumPy broadcast of two shapes, or an Error naming the op and both shapes. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  if (sameShape(a, b)) return a as number[];
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    check(
      da === db || da === 1 || db === 1,
      () => `${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast (dimension ${i}: ${da} vs ${db})`,
    );
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides to read a tensor of `shape` as if broadcast to `target` (0 on broadcast dims). */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  const strides = stridesOf(shape);
  const out = new Array<number>(target.length).fill(0);
  const off = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) out[i + off] = shape[i] === 1 ? 0 : strides[i];
  return out;
}

/** Normalises a possibly negative dim against `ndim`, with an Error naming the op. */
export function normalizeDim(op: string, dim: number, ndim: number, shape?: Shape): number {
  const lo = ndim === 0 ? -1 : -ndim;
  const hi = ndim === 0 ? 0 : ndim - 1;
  check(
    Number.isInteger(dim) && dim >= lo && dim <= hi,
    () => `${op}: dim ${dim} is out of range for a ${ndim}-d tensor${shape ? ' ' + fmtShape(shape) : ''} (expected ${lo}..${hi})`,
  );
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

/** Normalises `dim?: number | number[]` into a sorted list of distinct axes (all when omitted). */
export function normalizeDims(op: string, dim: number | readonly number[] | undefined, shape: Shape): number[] {
  const ndim = shape.length;
  if (dim === undefined || dim === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dim === 'number' ? [dim] : Array.from(dim);
  const axes = list.map((d) => normalizeDim(op, d, ndim, shape));
  const sorted = [...new Set(axes)].sort((x, y) => x - y);
  check(sorted.length === axes.length, () => `${op}: dims ${JSON.stringify(list)} repeat an axis`);
  return sorted;
}
