import type { Tensor } from '../../tensor.js';
import { check, fmtShape } from '../../check.js';
import { promoteTypes } from '../../dtype.js';
import type { FusedActivation } from '../../backend/backend.js';
import { reshape, cast } from '../../ops/shape.js';
import { linearAct } from '../../ops/fused.js';
import { asTensor } from '../../ops/util.js';

/**
 * act(x Wᵀ + b) for x [..., in], W [out, in], b [out] as one fused op (GEMM, bias and
 * activation in one pass; leading dims are flattened into the GEMM's rows):
 * `F.linear(x, w, b)`, `linearWithActivation(x, w, b, 'relu')`.
 */
export function linearWithActivation(input: Tensor, weight: Tensor, bias: Tensor | null, activation: FusedActivation, param = 0): Tensor {
  const x = asTensor('linear', input), w = asTensor('linear', weight, 'weight');
  check(w.ndim === 2 && x.ndim >= 1 && x.shape[x.ndim - 1] === w.shape[1], () =>
    `linear: input ${fmtShape(x.shape)} and weight ${fmtShape(w.shape)}: input must end in weight.shape[1]`);
  const b = bias === null ? null : asTensor('linear', bias, 'bias');
  check(b === null || (b.ndim === 1 && b.shape[0] === w.shape[0]), () =>
    `linear: bias ${fmtShape(b!.shape)} must have shape [${w.shape[0]}]`);
  const dtype = promoteTypes(promoteTypes(x.dtype, w.dtype), b?.dtype ?? w.dtype);
  const flat = x.ndim === 2 ? x : reshape(x, [-1, w.shape[1]]);
  const y = linearAct(cast(flat, dtype), cast(w, dtype), b === null ? null : cast(b, dtype), activation, param);
  return x.ndim === 2 ? y : reshape(y, [...x.shape.slice(0, -1), w.shape[0]]);
}

/** x Wᵀ + b for x [..., in], W [out, in], b [out]: `F.linear(x, w, b)`. */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  return linearWithActivation(input, weight, bias, 'identity');
}
