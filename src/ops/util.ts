import { Buffer } from 'node:buffer';
import { Tensor } from '../tensor.js';
import { allocate, type DType, type Storage } from '../dtype.js';
import { check, fmtShape } from '../check.js';
import { sizeOf } from '../shape.js';

/** Checks that `x` is a Tensor, naming the op and the argument otherwise. */
export function asTensor(op: string, x: unknown, arg = 'input'): Tensor {
  if (x instanceof Tensor) return x;
  throw new Error(`${op}: ${arg} must be a Tensor, got ${describe(x)}`);
}

/** A tensor, or a plain number made into a 0-d tensor of `like`'s dtype (no promotion, as in PyTorch). */
export function asOperand(op: string, x: unknown, like: DType, arg = 'other'): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number') {
    const data = allocate(like, 1);
    data[0] = x;
    return new Tensor(data, []);
  }
  throw new Error(`${op}: ${arg} must be a Tensor or a number, got ${describe(x)}`);
}

export function describe(x: unknown): string {
  if (x instanceof Tensor) return `Tensor ${fmtShape(x.shape)} ${x.dtype}`;
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array (wrap it with my.tensor)';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'an object';
  return `${typeof x} ${String(x)}`;
}

/** A fresh zero-filled output tensor. */
export function empty(dtype: DType, shape: readonly number[]): Tensor {
  return new Tensor(allocate(dtype, sizeOf(shape)), shape);
}

/** Below this many bytes V8's zero-filled allocation costs no more than an uninitialised one. */
const ZERO_FILL_WORTH_SKIPPING = 4096;

/**
 * Storage of `n` elements whose contents are garbage: only for a kernel that overwrites every
 * element. Zero-filling a large typed array costs as much as a small kernel (~60 us for
 * 1.6 MB), and a training step allocates megabytes of outputs and gradients.
 */
export function allocateUninitialized(dtype: DType, n: number): Storage {
  const bytes = n * (dtype === 'float64' ? 8 : 4);
  if (bytes < ZERO_FILL_WORTH_SKIPPING) return allocate(dtype, n);
  // allocUnsafeSlow: a fresh ArrayBuffer of exactly `bytes` (offset 0, never the shared pool).
  const buffer = Buffer.allocUnsafeSlow(bytes).buffer;
  return dtype === 'float64' ? new Float64Array(buffer, 0, n) : new Float32Array(buffer, 0, n);
}

/** A fresh output tensor for a kernel that writes every element (see allocateUninitialized). */
export function uninitialized(dtype: DType, shape: readonly number[]): Tensor {
  return new Tensor(allocateUninitialized(dtype, sizeOf(shape)), shape);
}

/** Whether the op's rule must produce a gradient for input `i`. */
export function needsGrad(inputs: readonly Tensor[], i: number): boolean {
  return inputs[i].requiresGrad;
}

export function checkSameDtype(op: string, a: Tensor, b: Tensor): void {
  check(a.dtype === b.dtype, () => `${op}: dtypes differ: ${a.dtype} ${fmtShape(a.shape)} and ${b.dtype} ${fmtShape(b.shape)}`);
}
