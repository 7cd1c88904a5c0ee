import type { Storage } from '../dtype.js';

/** float32 holds every integer up to 2^24 exactly; beyond, float64 does up to 2^53. */
const F32_EXACT = 2 ** 24;

/** Integer values in the narrowest float storage that holds each of them exactly. */
export function exactFloatStorage(values: ArrayLike<number>): Storage {
  let maxAbs = 0;
  for (let i = 0; i < values.length; i++) maxAbs = Math.max(maxAbs, Math.abs(values[i]));
  return maxAbs <= F32_EXACT ? Float32Array.from(values) : Float64Array.from(values);
}
