import { Tensor } from '../tensor.js';
import { check, fmtShape } from '../check.js';
import { allocate } from '../dtype.js';
import { sameShape } from '../shape.js';
import { cast } from '../ops/shape.js';
import { mode } from './mode.js';

type Fn = (...xs: Tensor[]) => Tensor;

function toList(op: string, arg: string, x: Tensor | readonly Tensor[]): Tensor[] {
  const list = x instanceof Tensor ? [x] : Array.isArray(x) ? x.slice() : null;
  check(list !== null, () => `${op}: ${arg} must be a Tensor or an array of Tensors`);
  list.forEach((t, i) => check(t instanceof Tensor, () => `${op}: ${arg}[${i}] is not a Tensor`));
  return list;
}

/** @internal the primals and tangents of jvp/vjp as arrays, checked against each other. */
export function pairUp(op: string, primals: Tensor | readonly Tensor[], tangents: Tensor | readonly Tensor[], name: string): [Tensor[], Tensor[]] {
  const ps = toList(op, 'primals', primals), ts = toList(op, name, tangents);
  check(ps.length === ts.length, () => `${op}: ${ps.length} primals but ${ts.length} ${name}`);
  ps.forEach((p, i) => check(sameShape(p.shape, ts[i].shape), () =>
    `${op}: ${name}[${i}] has shape ${fmtShape(ts[i].shape)} but primals[${i}] has shape ${fmtShape(p.shape)}`));
  return [ps, ts];
}

/**
 * Forward mode: f(primals) and its directional derivative along `tangents`, in ONE forward
 * pass of dual tensors (each op's JVP carries the tangent along; no reverse pass):
 * `const [y, dy] = my.autograd.jvp((x) => x.sin(), [x], [v])`.
 */
export function jvp(f: Fn, primals: Tensor | readonly Tensor[], tangents: Tensor | readonly Tensor[]): [Tensor, Tensor] {
  check(typeof f === 'function', () => 'autograd.jvp: f must be a function');
  const [ps, ts] = pairUp('autograd.jvp', primals, tangents, 'tangents');
  // The primals themselves become the dual tensors for the call (keeping their graph), and
  // get their previous tangents back afterwards.
  const saved = ps.map((p) => p._tangent);
  mode.forward++;
  try {
    ps.forEach((p, i) => (p._tangent = ts[i].dtype === p.dtype ? ts[i] : cast(ts[i], p.dtype)));
    const out = f(...ps);
    check(out instanceof Tensor, () => `autograd.jvp: f must return a Tensor, got ${typeof out}`);
    // An output that does not depend on the primals has a zero tangent.
    const tangent = out._tangent ?? new Tensor(allocate(out.dtype, out.size), out.shape);
    if (!ps.includes(out)) out._tangent = null; // primals get theirs back below
    return [out, tangent];
  } finally {
    mode.forward--;
    ps.forEach((p, i) => (p._tangent = saved[i]));
  }
}
