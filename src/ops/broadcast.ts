import type { Tensor } from '../tensor.js';
import { sameShape } from '../shape.js';
import { sum } from './reduce.js';
import { reshape, broadcastTo, cast } from './shape.js';

/**
 * Undoes broadcasting: sums `g` over the dimensions that broadcasting added or stretched so
 * that it has `like`'s shape, and casts it to `like`'s dtype. Every broadcasting op's VJP
 * goes through here; none reduces on its own.
 */
export function sumToShape(g: Tensor, like: Tensor): Tensor {
  let r = g;
  if (!sameShape(g.shape, like.shape)) {
    const lead = g.ndim - like.ndim;
    const axes: number[] = [];
    for (let i = 0; i < g.ndim; i++) {
      if (i < lead || (like.shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
    }
    if (axes.length > 0) r = sum(r, axes, false);
    if (!sameShape(r.shape, like.shape)) r = reshape(r, like.shape as number[]);
  }
  return r.dtype === like.dtype ? r : cast(r, like.dtype);
}

/** Broadcasts `t` to `like`'s shape and dtype (tangents of broadcasting ops). */
export function expandTo(t: Tensor, like: Tensor): Tensor {
  let r = sameShape(t.shape, like.shape) ? t : broadcastTo(t, like.shape);
  if (r.dtype !== like.dtype) r = cast(r, like.dtype);
  return r;
}
