import type { Tensor } from '../../tensor.js';
import { check, fmtShape } from '../../check.js';
import { add } from '../../ops/elementwise.js';
import { mm } from '../../ops/matmul.js';
import { reshape, cast } from '../../ops/shape.js';
import { asTensor } from '../../ops/util.js';

/** x Wᵀ + b for x [..., in], W [out, in], b [out]: `F.linear(x, w, b)`. */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  const x = asTensor('linear', input), w = asTensor('linear', weight, 'weight');
  check(w.ndim === 2 && x.ndim >= 1 && x.shape[x.ndim - 1] === w.shape[1], () =>
    `linear: input ${fmtShape(x.shape)} and weight ${fmtShape(w.shape)}: input must end in weight.shape[1]`);
  check(bias === null || (bias.ndim === 1 && bias.shape[0] === w.shape[0]), () =>
    `linear: bias ${fmtShape(bias!.shape)} must have shape [${w.shape[0]}]`);
  const flat = x.ndim === 2 ? x : reshape(x, [-1, w.shape[1]]);
  const dtype = x.dtype === 'float64' || w.dtype === 'float64' ? 'float64' : 'float32';
  let y = mm(cast(flat, dtype), cast(w, dtype), false, true);
  if (bias !== null) y = add(y, bias);
  return x.ndim === 2 ? y : reshape(y, [...x.shape.slice(0, -1), w.shape[0]]);
}
