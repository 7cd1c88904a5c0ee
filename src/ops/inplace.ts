import type { Tensor } from '../tensor.js';
import { check, fmtShape } from '../check.js';
import { broadcastShapes, broadcastStrides, sameShape, stridesOf } from '../shape.js';
import { getBackend } from '../backend/index.js';
import { mode } from '../autograd/mode.js';
import { asOperand, asTensor } from './util.js';

/**
 * In-place writes, for optimizers, initialisers and loading weights. They are not recorded
 * in the graph; they bump the version counter so a backward that saved the old values
 * throws instead of silently using the new ones.
 */
function checkWritable(op: string, t: Tensor): void {
  check(!(mode.grad && t.requiresGrad && t.gradFn === null), () =>
    `${op}: a leaf tensor ${fmtShape(t.shape)} that requires grad cannot be changed in place while gradients are recorded; wrap the update in my.noGrad(...)`);
}

function binaryInPlace(op: string, kind: 'add' | 'mul', t: Tensor, other: Tensor): void {
  checkWritable(op, t);
  const shape = broadcastShapes(op, t.shape, other.shape);
  check(sameShape(shape, t.shape), () => `${op}: cannot broadcast ${fmtShape(other.shape)} into ${fmtShape(t.shape)} in place`);
  const strides = sameShape(other.shape, t.shape) ? null : broadcastStrides(other.shape, t.shape);
  getBackend().binary(kind, t.data, null, other.data, strides, t.data, t.shape);
  t._bumpVersion();
}

export function addInPlace(t: Tensor, other: Tensor | number, alpha: number): void {
  let o = asOperand('add_', other, t.dtype);
  if (alpha !== 1) o = asOperand('add_', typeof other === 'number' ? other * alpha : o.detach().mul(alpha), t.dtype);
  binaryInPlace('add_', 'add', t, o);
}

export function mulInPlace(t: Tensor, other: Tensor | number): void {
  binaryInPlace('mul_', 'mul', t, asOperand('mul_', other, t.dtype));
}

export function copyInPlace(t: Tensor, src: Tensor): void {
  const s = asTensor('copy_', src, 'src');
  checkWritable('copy_', t);
  const shape = broadcastShapes('copy_', t.shape, s.shape);
  check(sameShape(shape, t.shape), () => `copy_: cannot copy ${fmtShape(s.shape)} into ${fmtShape(t.shape)}`);
  if (sameShape(s.shape, t.shape)) t.data.set(s.data);
  else getBackend().copyStrided(s.data, 0, broadcastStrides(s.shape, t.shape), t.data, 0, stridesOf(t.shape), t.shape);
  t._bumpVersion();
}

export function fillInPlace(t: Tensor, value: number): void {
  check(typeof value === 'number', () => `fill_: value must be a number, got ${typeof value}`);
  checkWritable('fill_', t);
  t.data.fill(value);
  t._bumpVersion();
}
