import { Tensor } from '../tensor.js';
import { allocate, type DType } from '../dtype.js';
import { check, fmtShape } from '../check.js';
import { sizeOf } from '../shape.js';
import { allocateUninitialized, allocateZeroed } from './storage.js';

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
  return new Tensor(allocateZeroed(dtype, sizeOf(shape)), shape);
}

/** A fresh output tensor for a kernel that writes every element (see storage.ts). */
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
