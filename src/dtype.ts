/** Element types a tensor can hold; float32 is the fast path, float64 serves gradcheck. */
export type DType = 'float32' | 'float64';

/** The contiguous row-major storage behind a tensor. */
export type Storage = Float32Array | Float64Array;

// Arrays of at least ALIGN_FROM_BYTES start on a 64-byte boundary once the native backend
// has said where a buffer's first one is (alignOffset): as PyTorch's CPU allocator does,
// so that kernels reading a tensor in place (the dot-product GEMMs, the elementwise
// kernels) never split a vector load across two cache lines, and each 64-byte row segment
// of a GEMM's output tile is one line. Smaller arrays are left as they come.
const ALIGN_FROM_BYTES = 4096;
export const ALIGNMENT = 64;
let alignOffset: ((buffer: ArrayBuffer) => number) | null = null;

/** Sets (or, with null, clears) how allocate finds the first 64-byte boundary of a buffer. */
export function setAlignOffset(f: ((buffer: ArrayBuffer) => number) | null): void {
  alignOffset = f;
}

/**
 * A view of `n` elements at the first 64-byte boundary of `buffer`, which must hold
 * `n * itemsize + ALIGNMENT` bytes; at its start when no alignOffset is set.
 */
export function alignedView(dtype: DType, buffer: ArrayBuffer, n: number): Storage {
  const offset = alignOffset === null ? 0 : alignOffset(buffer);
  return dtype === 'float64' ? new Float64Array(buffer, offset, n) : new Float32Array(buffer, offset, n);
}

/** Whether arrays of `bytes` are placed on a 64-byte boundary (see alignedView). */
export function aligns(bytes: number): boolean {
  return alignOffset !== null && bytes >= ALIGN_FROM_BYTES;
}

/** Allocates zeroed storage of `n` elements. */
export function allocate(dtype: DType, n: number): Storage {
  const bytes = n * (dtype === 'float64' ? 8 : 4);
  if (aligns(bytes)) return alignedView(dtype, new ArrayBuffer(bytes + ALIGNMENT), n);
  return dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
}

/** The dtype of a typed array. */
export function dtypeOf(data: Storage): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

/** PyTorch's promotion among our float types: any float64 operand makes the result float64. */
export function promoteTypes(a: DType, b: DType): DType {
  return a === 'float64' || b === 'float64' ? 'float64' : 'float32';
}

export function isDType(x: unknown): x is DType {
  return x === 'float32' || x === 'float64';
}
