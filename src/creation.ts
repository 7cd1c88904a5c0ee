import { Tensor } from './tensor.js';
import { allocate, isDType, type DType, type Storage } from './dtype.js';
import { check, fmtShape } from './check.js';
import { checkShape, sizeOf } from './shape.js';
import { rng } from './random.js';

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  shape?: number[];
}

type NestedArray = number | NestedArray[];

function optsDtype(op: string, opts: TensorOptions | undefined, fallback: DType = 'float32'): DType {
  const d = opts?.dtype ?? fallback;
  check(isDType(d), () => `${op}: dtype must be 'float32' or 'float64', got '${String(d)}'`);
  return d;
}

function finish(t: Tensor, opts: TensorOptions | undefined): Tensor {
  if (opts?.requiresGrad) t.requiresGrad = true;
  return t;
}

/** @internal wraps storage in a tensor without copying. */
export function fromStorage(data: Storage, shape: readonly number[]): Tensor {
  return new Tensor(data, shape);
}

function inferShape(data: NestedArray, shape: number[]): void {
  if (Array.isArray(data)) {
    shape.push(data.length);
    if (data.length > 0) inferShape(data[0], shape);
  }
}

function flattenInto(op: string, data: NestedArray, shape: number[], dim: number, out: Storage, pos: { i: number }): void {
  if (dim === shape.length) {
    check(typeof data === 'number', () => `${op}: ragged nested array: expected a number at depth ${dim}, got ${Array.isArray(data) ? 'an array' : typeof data}`);
    out[pos.i++] = data as number;
    return;
  }
  check(Array.isArray(data) && data.length === shape[dim], () =>
    `${op}: ragged nested array: expected ${shape[dim]} elements at depth ${dim} (shape ${fmtShape(shape)}), got ${Array.isArray(data) ? data.length : typeof data}`);
  for (const x of data as NestedArray[]) flattenInto(op, x, shape, dim + 1, out, pos);
}

/**
 * A tensor from a number, nested arrays or a typed array:
 * `my.tensor([[1, 2], [3, 4]])`, `my.tensor(f32, { shape: [2, 2] })`.
 */
export function tensor(data: NestedArray | Float32Array | Float64Array | Tensor, opts?: TensorOptions): Tensor {
  if (data instanceof Tensor) {
    const t = data.to(optsDtype('tensor', opts, data.dtype)).detach();
    return finish(t === data ? data.detach() : t, opts);
  }
  if (data instanceof Float32Array || data instanceof Float64Array) {
    const dtype = optsDtype('tensor', opts, data instanceof Float64Array ? 'float64' : 'float32');
    const shape = opts?.shape === undefined ? [data.length] : checkShape('tensor', opts.shape);
    check(sizeOf(shape) === data.length, () =>
      `tensor: shape ${fmtShape(shape)} holds ${sizeOf(shape)} elements but the ${data.constructor.name} has ${data.length}`);
    const storage = allocate(dtype, data.length);
    storage.set(data);
    return finish(new Tensor(storage, shape), opts);
  }
  check(typeof data === 'number' || Array.isArray(data), () =>
    `tensor: expected a number, nested number arrays or a Float32Array/Float64Array, got ${data === null ? 'null' : typeof data}`);
  const dtype = optsDtype('tensor', opts);
  const shape: number[] = [];
  inferShape(data, shape);
  const storage = allocate(dtype, sizeOf(shape));
  flattenInto('tensor', data, shape, 0, storage, { i: 0 });
  if (opts?.shape !== undefined) {
    const s = checkShape('tensor', opts.shape);
    check(sizeOf(s) === storage.length, () => `tensor: shape ${fmtShape(s)} does not hold the ${storage.length} given values`);
    return finish(new Tensor(storage, s), opts);
  }
  return finish(new Tensor(storage, shape), opts);
}

function filled(op: string, shape: readonly number[], opts: TensorOptions | undefined, fill: (out: Storage) => void): Tensor {
  const s = checkShape(op, shape);
  const data = allocate(optsDtype(op, opts), sizeOf(s));
  fill(data);
  return finish(new Tensor(data, s), opts);
}

/** `my.zeros([2, 3])` */
export function zeros(shape: readonly number[], opts?: TensorOptions): Tensor {
  return filled('zeros', shape, opts, () => {});
}

/** `my.ones([2, 3])` */
export function ones(shape: readonly number[], opts?: TensorOptions): Tensor {
  return filled('ones', shape, opts, (d) => d.fill(1));
}

/** `my.full([2, 3], 7)` */
export function full(shape: readonly number[], value: number, opts?: TensorOptions): Tensor {
  check(typeof value === 'number', () => `full: value must be a number, got ${typeof value}`);
  return filled('full', shape, opts, (d) => d.fill(value));
}

/** Standard normal samples: `my.randn([3, 4])`. */
export function randn(shape: readonly number[], opts?: TensorOptions): Tensor {
  return filled('randn', shape, opts, (d) => { for (let i = 0; i < d.length; i++) d[i] = rng.normal(); });
}

/** Uniform samples in [0, 1): `my.rand([3, 4])`. */
export function rand(shape: readonly number[], opts?: TensorOptions): Tensor {
  return filled('rand', shape, opts, (d) => { for (let i = 0; i < d.length; i++) d[i] = rng.uniform(); });
}

/** `arange(5)` → 0..4; `arange(1, 2, 0.25)` → 1, 1.25, 1.5, 1.75. */
export function arange(startOrEnd: number, end?: number, step = 1, opts?: TensorOptions): Tensor {
  const start = end === undefined ? 0 : startOrEnd;
  const stop = end === undefined ? startOrEnd : end;
  check([start, stop, step].every(Number.isFinite) && step !== 0, () =>
    `arange: start ${start}, end ${stop} and step ${step} must be finite, step non-zero`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  return filled('arange', [n], opts, (d) => { for (let i = 0; i < n; i++) d[i] = start + i * step; });
}

/** The n x n identity: `my.eye(3)`. */
export function eye(n: number, opts?: TensorOptions): Tensor {
  return filled('eye', [n, n], opts, (d) => { for (let i = 0; i < n; i++) d[i * n + i] = 1; });
}

const likeOpts = (t: Tensor, opts?: TensorOptions): TensorOptions => ({ dtype: t.dtype, ...opts });
export const zerosLike = (t: Tensor, opts?: TensorOptions): Tensor => zeros(t.shape, likeOpts(t, opts));
export const onesLike = (t: Tensor, opts?: TensorOptions): Tensor => ones(t.shape, likeOpts(t, opts));
export const randnLike = (t: Tensor, opts?: TensorOptions): Tensor => randn(t.shape, likeOpts(t, opts));
