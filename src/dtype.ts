/** Element types a tensor can hold; float32 is the fast path, float64 serves gradcheck. */
export type DType = 'float32' | 'float64';

/** The contiguous row-major storage behind a tensor. */
export type Storage = Float32Array | Float64Array;

/** Allocates zeroed storage of `n` elements. */
export function allocate(dtype: DType, n: number): Storage {
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
