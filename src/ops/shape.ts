import { Tensor } from '../tensor.js';
import { allocate, isDType, type DType } from '../dtype.js';
import { check, fmtShape } from '../check.js';
import { broadcastShapes, broadcastStrides, checkShape, normalizeDim, sameShape, sizeOf, stridesOf } from '../shape.js';
import { getBackend } from '../backend/index.js';
import { apply } from '../autograd/graph.js';
import { defineLinearOp, type OpDef } from './registry.js';
import { asTensor, describe, empty, uninitialized } from './util.js';
import { sumToShape } from './broadcast.js';

// ---------------------------------------------------------------- reshape (a view)

export const reshapeOp = defineLinearOp<{ shape: readonly number[] }>({
  name: 'reshape',
  // A view: same storage and version counter, so in-place writes are seen by both.
  forward: ([x], { shape }) => new Tensor(x.data, shape, x._version),
  vjp: (g, { inputs: [x] }) => [reshape(g, x.shape)],
  jvp: ([t], { attrs }) => reshape(t!, attrs.shape),
});

function resolveShape(x: Tensor, spec: readonly number[]): number[] {
  let infer = -1;
  let known = 1;
  for (let i = 0; i < spec.length; i++) {
    const d = spec[i];
    if (d === -1) {
      check(infer < 0, () => `reshape: only one dimension can be -1, got ${fmtShape(spec)}`);
      infer = i;
    } else {
      check(Number.isSafeInteger(d) && d >= 0, () => `reshape: invalid dimension ${d} in ${fmtShape(spec)}`);
      known *= d;
    }
  }
  const shape = spec.slice();
  if (infer >= 0) {
    check(known > 0 && x.size % known === 0, () => `reshape: cannot infer -1 in ${fmtShape(spec)} for ${fmtShape(x.shape)} (${x.size} elements)`);
    shape[infer] = x.size / known;
  }
  check(sizeOf(shape) === x.size, () => `reshape: shape ${fmtShape(spec)} is invalid for input of shape ${fmtShape(x.shape)} (${x.size} elements)`);
  return shape;
}

/** Same data, new shape (one dimension may be -1): `x.reshape(2, -1)` or `x.reshape([2, -1])`. */
export function reshape(x: Tensor, ...spec: number[] | [readonly number[]]): Tensor {
  const t = asTensor('reshape', x);
  const list = (spec.length === 1 && Array.isArray(spec[0]) ? spec[0] : spec) as readonly number[];
  const shape = resolveShape(t, list);
  if (sameShape(shape, t.shape)) return t;
  return apply(reshapeOp, [t], { shape });
}

/** Flattens dims startDim..endDim into one: `x.flatten()`; `x.flatten(1)` keeps the batch dim. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  const t = asTensor('flatten', x);
  if (t.ndim === 0) return reshape(t, [1]);
  const s = normalizeDim('flatten', startDim, t.ndim, t.shape), e = normalizeDim('flatten', endDim, t.ndim, t.shape);
  check(s <= e, () => `flatten: startDim ${startDim} comes after endDim ${endDim} for ${fmtShape(t.shape)}`);
  const shape = [...t.shape.slice(0, s), sizeOf(t.shape.slice(s, e + 1)), ...t.shape.slice(e + 1)];
  return reshape(t, shape);
}

/** Inserts a size-1 dimension at `dim`. */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const t = asTensor('unsqueeze', x);
  const d = normalizeDim('unsqueeze', dim, t.ndim + 1);
  return reshape(t, [...t.shape.slice(0, d), 1, ...t.shape.slice(d)]);
}

/** Removes size-1 dimensions (only `dim` when given, if it has size 1). */
export function squeeze(x: Tensor, dim?: number): Tensor {
  const t = asTensor('squeeze', x);
  if (dim === undefined) return reshape(t, t.shape.filter((d) => d !== 1));
  const d = normalizeDim('squeeze', dim, t.ndim, t.shape);
  if (t.ndim === 0 || t.shape[d] !== 1) return t;
  return reshape(t, [...t.shape.slice(0, d), ...t.shape.slice(d + 1)]);
}

// ---------------------------------------------------------------- permute / transpose

export const permuteOp = defineLinearOp<{ perm: readonly number[] }>({
  name: 'permute',
  forward: ([x], { perm }) => {
    const out = empty(x.dtype, perm.map((p) => x.shape[p]));
    getBackend().permute(x.data, x.shape, perm, out.data);
    return out;
  },
  vjp: (g, { attrs: { perm } }) => [permute(g, inversePermutation(perm))],
  jvp: ([t], { attrs: { perm } }) => permute(t!, perm),
});

function inversePermutation(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

/** Reorders dimensions: `x.permute(2, 0, 1)`. Materialises the result (storage stays contiguous). */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  const t = asTensor('permute', x);
  check(Array.isArray(dims) && dims.length === t.ndim, () => `permute: expected ${t.ndim} dims for ${fmtShape(t.shape)}, got ${JSON.stringify(dims)}`);
  const perm = dims.map((d) => normalizeDim('permute', d, t.ndim, t.shape));
  check(new Set(perm).size === perm.length, () => `permute: dims ${JSON.stringify(dims)} repeat an axis`);
  if (perm.every((p, i) => p === i)) return t;
  return apply(permuteOp, [t], { perm });
}

/** Swaps two dimensions (the last two by default). */
export function transpose(x: Tensor, d0 = -2, d1 = -1): Tensor {
  const t = asTensor('transpose', x);
  if (t.ndim < 2 && d0 === -2 && d1 === -1) return t;
  const a = normalizeDim('transpose', d0, t.ndim, t.shape), b = normalizeDim('transpose', d1, t.ndim, t.shape);
  const perm = t.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return permute(t, perm);
}

/** The transpose of a 2-D tensor (`x.T`). */
export function matrixT(x: Tensor): Tensor {
  const t = asTensor('T', x);
  check(t.ndim <= 2, () => `T: expects a tensor of at most 2 dims, got ${fmtShape(t.shape)}; use transpose(d0, d1)`);
  return t.ndim < 2 ? t : transpose(t, 0, 1);
}

// ---------------------------------------------------------------- broadcastTo, cast, clone

export const broadcastToOp = defineLinearOp<{ shape: readonly number[] }>({
  name: 'broadcastTo',
  forward: ([x], { shape }) => {
    const out = uninitialized(x.dtype, shape);
    getBackend().copyStrided(x.data, 0, broadcastStrides(x.shape, shape), out.data, 0, stridesOf(shape), shape);
    return out;
  },
  vjp: (g, { inputs: [x] }) => [sumToShape(g, x)],
  jvp: ([t], { attrs }) => broadcastTo(t!, attrs.shape),
});

/** `x` repeated along broadcast dimensions to `shape` (NumPy rules). */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  const t = asTensor('broadcastTo', x);
  const target = checkShape('broadcastTo', shape);
  const b = broadcastShapes('broadcastTo', t.shape, target);
  check(sameShape(b, target), () => `broadcastTo: cannot broadcast ${fmtShape(t.shape)} to ${fmtShape(target)}`);
  if (sameShape(t.shape, target)) return t;
  return apply(broadcastToOp, [t], { shape: target });
}

export const castOp = defineLinearOp<{ dtype: DType }>({
  name: 'cast',
  forward: ([x], { dtype }) => {
    const out = uninitialized(dtype, x.shape);
    getBackend().cast(x.data, out.data);
    return out;
  },
  vjp: (g, { inputs: [x] }) => [cast(g, x.dtype)],
  jvp: ([t], { attrs }) => cast(t!, attrs.dtype),
});

/** `x` converted to `dtype` (x itself when it already has it). */
export function cast(x: Tensor, dtype: DType): Tensor {
  const t = asTensor('to', x);
  check(isDType(dtype), () => `to: dtype must be 'float32' or 'float64', got '${String(dtype)}'`);
  return t.dtype === dtype ? t : apply(castOp, [t], { dtype });
}

export const cloneOp = defineLinearOp({
  name: 'clone',
  forward: ([x]) => new Tensor(x.data.slice(), x.shape),
  vjp: (g) => [g],
  jvp: ([t]) => t!,
});

/** A copy with its own storage. */
export function clone(x: Tensor): Tensor {
  return apply(cloneOp, [asTensor('clone', x)], undefined);
}

// ---------------------------------------------------------------- narrow and its adjoint

interface NarrowAttrs {
  dim: number;
  start: number;
  length: number;
}

/** Copies the block [start, start+length) of `dim` from `src` (shape srcShape) into `dst` at offset `dstStart`. */
function copyAlong(src: Tensor, srcStart: number, dst: Tensor, dstStart: number, dim: number, length: number): void {
  const blockShape = src.shape.slice();
  blockShape[dim] = length;
  const ss = stridesOf(src.shape), ds = stridesOf(dst.shape);
  getBackend().copyStrided(src.data, srcStart * ss[dim], ss, dst.data, dstStart * ds[dim], ds, blockShape);
}

export const narrowOp = defineLinearOp<NarrowAttrs>({
  name: 'narrow',
  forward: ([x], { dim, start, length }) => {
    const shape = x.shape.slice();
    shape[dim] = length;
    const out = empty(x.dtype, shape);
    copyAlong(x, start, out, 0, dim, length);
    return out;
  },
  vjp: (g, { inputs: [x], attrs }) => [pad(g, attrs.dim, attrs.start, x.shape[attrs.dim])],
  jvp: ([t], { attrs }) => narrow(t!, attrs.dim, attrs.start, attrs.length),
});

/** The adjoint of narrow: `g` placed at `start` along `dim` of a zero tensor of size `size` there. */
export const padOp = defineLinearOp<{ dim: number; start: number; size: number }>({
  name: 'pad',
  forward: ([g], { dim, start, size }) => {
    const shape = g.shape.slice();
    shape[dim] = size;
    const out = empty(g.dtype, shape);
    copyAlong(g, 0, out, start, dim, g.shape[dim]);
    return out;
  },
  vjp: (g, { inputs: [x], attrs }) => [narrow(g, attrs.dim, attrs.start, x.shape[attrs.dim])],
  jvp: ([t], { attrs }) => pad(t!, attrs.dim, attrs.start, attrs.size),
});

function pad(g: Tensor, dim: number, start: number, size: number): Tensor {
  return apply(padOp, [g], { dim, start, size });
}

/** `length` elements from `start` along `dim`: `x.narrow(1, 0, 2)`. */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const t = asTensor('narrow', x);
  const d = normalizeDim('narrow', dim, t.ndim, t.shape);
  check(Number.isInteger(start) && Number.isInteger(length) && start >= 0 && length >= 0 && start + length <= t.shape[d],
    () => `narrow: start ${start} and length ${length} do not fit dim ${d} (size ${t.shape[d]}) of ${fmtShape(t.shape)}`);
  if (start === 0 && length === t.shape[d]) return t;
  return apply(narrowOp, [t], { dim: d, start, length });
}

// ---------------------------------------------------------------- concat / stack

export const concatOp = defineLinearOp<{ dim: number }>({
  name: 'concat',
  forward: (xs, { dim }) => {
    const shape = xs[0].shape.slice();
    shape[dim] = xs.reduce((s, x) => s + x.shape[dim], 0);
    const out = empty(xs[0].dtype, shape);
    let at = 0;
    for (const x of xs) {
      copyAlong(x, 0, out, at, dim, x.shape[dim]);
      at += x.shape[dim];
    }
    return out;
  },
  vjp: (g, { inputs, attrs: { dim } }) => {
    let at = 0;
    return inputs.map((x) => {
      const piece = x.requiresGrad ? narrow(g, dim, at, x.shape[dim]) : null;
      at += x.shape[dim];
      return piece;
    });
  },
  jvp: (ts, { inputs, attrs: { dim } }) =>
    concat(inputs.map((x, i) => ts[i] ?? new Tensor(allocate(x.dtype, x.size), x.shape)), dim),
});

/** Joins tensors along an existing dimension: `my.concat([a, b], 0)`. */
export function concat(tensors: readonly Tensor[], dim = 0): Tensor {
  check(Array.isArray(tensors) && tensors.length > 0, () => `concat: expected a non-empty array of Tensors, got ${describe(tensors)}`);
  const xs = tensors.map((t, i) => asTensor('concat', t, `tensors[${i}]`));
  const first = xs[0];
  const d = normalizeDim('concat', dim, first.ndim, first.shape);
  const dtype = xs.some((x) => x.dtype === 'float64') ? 'float64' : 'float32';
  for (const x of xs) {
    check(x.ndim === first.ndim && x.shape.every((s, i) => i === d || s === first.shape[i]), () =>
      `concat: shapes ${xs.map((y) => fmtShape(y.shape)).join(', ')} differ outside dim ${d}`);
  }
  return apply(concatOp, xs.map((x) => cast(x, dtype)), { dim: d });
}

/** Joins tensors along a new dimension: `my.stack([a, b], 0)`. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  check(Array.isArray(tensors) && tensors.length > 0, () => `stack: expected a non-empty array of Tensors, got ${describe(tensors)}`);
  const xs = tensors.map((t, i) => asTensor('stack', t, `tensors[${i}]`));
  for (const x of xs) {
    check(sameShape(x.shape, xs[0].shape), () => `stack: all shapes must be equal, got ${xs.map((y) => fmtShape(y.shape)).join(', ')}`);
  }
  const d = normalizeDim('stack', dim, xs[0].ndim + 1);
  return concat(xs.map((x) => unsqueeze(x, d)), d);
}

export const shapeOps: readonly OpDef<any>[] = [
  reshapeOp, permuteOp, broadcastToOp, castOp, cloneOp, narrowOp, padOp, concatOp,
];
