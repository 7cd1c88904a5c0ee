import { Tensor } from '../tensor.js';
import { promoteTypes } from '../dtype.js';
import { broadcastShapes, broadcastStrides, sameShape } from '../shape.js';
import { getBackend, type BinaryKind, type UnaryKind } from '../backend/index.js';
import { apply } from '../autograd/graph.js';
import { defineOp, type OpContext, type OpDef } from './registry.js';
import { asOperand, asTensor, uninitialized } from './util.js';
import { sumToShape, expandTo } from './broadcast.js';
import {
  bilinearInParts, cCos, cDiv, cExp, cLog, cMul, complexBinary, complexUnary, cPow, cSigmoid, cSin, cSqrt, cTanh,
  linearInParts,
} from '../autograd/complex.js';

// ---------------------------------------------------------------- unary

function unaryForward(kind: UnaryKind, x: Tensor): Tensor {
  const out = uninitialized(x.dtype, x.shape);
  getBackend().unary(kind, x.data, out.data);
  return out;
}

type UnaryRules = Pick<OpDef, 'vjp' | 'jvp' | 'complex' | 'nonAnalytic'>;

/** A one-input op whose derivative is `dy/dx` (built from the input and output). */
function unaryOp(kind: UnaryKind, slope: (x: Tensor, y: Tensor) => Tensor, extra: Partial<UnaryRules> = {}): OpDef {
  return defineOp({
    name: kind,
    forward: ([x]) => unaryForward(kind, x),
    vjp: (g, { inputs, output }) => [mul(g, slope(inputs[0], output))],
    jvp: ([t], { inputs, output }) => mul(t!, slope(inputs[0], output)),
    ...extra,
  });
}

/** An op with no gradient (its output never requires grad). */
function constantUnaryOp(kind: UnaryKind): OpDef {
  return defineOp({ name: kind, forward: ([x]) => unaryForward(kind, x), nonAnalytic: 'piecewise constant' });
}

export const signOp = constantUnaryOp('sign');
/** Heaviside step (x > 0), the derivative of relu. */
export const stepOp = constantUnaryOp('step');

export const negOp = defineOp({
  name: 'neg',
  forward: ([x]) => unaryForward('neg', x),
  vjp: (g) => [neg(g)],
  jvp: ([t]) => neg(t!),
  complex: linearInParts(([x]) => unaryForward('neg', x)),
});
const analytic = (fn: (re: number, im: number) => [number, number]) => ({ complex: complexUnary(fn) });
export const expOp = unaryOp('exp', (_x, y) => y, analytic(cExp));
export const logOp = unaryOp('log', (x) => reciprocal(x), analytic(cLog));
export const sqrtOp = unaryOp('sqrt', (_x, y) => div(0.5, y), analytic(cSqrt));
export const absOp = unaryOp('abs', (x) => sign(x), { nonAnalytic: '|x| is not complex-differentiable' });
export const sinOp = unaryOp('sin', (x) => cos(x), analytic(cSin));
export const cosOp = unaryOp('cos', (x) => neg(sin(x)), analytic(cCos));
export const tanhOp = unaryOp('tanh', (_x, y) => sub(1, square(y)), analytic(cTanh));
export const sigmoidOp = unaryOp('sigmoid', (_x, y) => mul(y, sub(1, y)), analytic(cSigmoid));
export const reluOp = unaryOp('relu', (x) => step(x), { nonAnalytic: 'relu has a kink at 0' });
export const squareOp = unaryOp('square', (x) => mul(x, 2), analytic((a, b) => cMul([a, b], [a, b])));
export const reciprocalOp = unaryOp('reciprocal', (_x, y) => neg(square(y)), analytic((a, b) => cDiv([1, 0], [a, b])));

const unary = (op: OpDef) => (x: Tensor): Tensor => apply(op, [asTensor(op.name, x)], undefined);

/** -x */
export const neg = unary(negOp);
/** e^x: `my.exp(x)` */
export const exp = unary(expOp);
/** Natural logarithm. */
export const log = unary(logOp);
export const sqrt = unary(sqrtOp);
export const abs = unary(absOp);
export const sin = unary(sinOp);
export const cos = unary(cosOp);
export const tanh = unary(tanhOp);
/** 1 / (1 + e^-x), exact for large |x|. */
export const sigmoid = unary(sigmoidOp);
/** max(x, 0); its gradient at 0 is 0, as in PyTorch. */
export const relu = unary(reluOp);
export const square = unary(squareOp);
export const reciprocal = unary(reciprocalOp);
/** -1, 0 or 1 by the sign of x (no gradient). */
export const sign = unary(signOp);
/** 1 where x > 0, else 0 (no gradient). */
export const step = unary(stepOp);

// ---------------------------------------------------------------- binary

function binaryForward(kind: BinaryKind, a: Tensor, b: Tensor): Tensor {
  const dtype = promoteTypes(a.dtype, b.dtype);
  if (sameShape(a.shape, b.shape)) {
    const out = uninitialized(dtype, a.shape);
    getBackend().binary(kind, a.data, null, b.data, null, out.data, a.shape);
    return out;
  }
  const shape = broadcastShapes(kind, a.shape, b.shape);
  const out = uninitialized(dtype, shape);
  getBackend().binary(kind, a.data, broadcastStrides(a.shape, shape), b.data, broadcastStrides(b.shape, shape), out.data, shape);
  return out;
}

type Pair = readonly [Tensor, Tensor];

/**
 * A two-input op from its partial derivatives. Gradients are summed back to each input's
 * shape (and dtype) by the one shared helper, sumToShape.
 */
function binaryOp(
  kind: BinaryKind,
  partials: { a: (ctx: OpContext<undefined>) => Tensor; b: (ctx: OpContext<undefined>) => Tensor },
  extra: Pick<OpDef, 'complex' | 'nonAnalytic'>,
): OpDef {
  return defineOp({
    name: kind,
    forward: ([a, b]) => binaryForward(kind, a, b),
    ...extra,
    vjp: (g, ctx) => {
      const [a, b] = ctx.inputs as unknown as Pair;
      return [
        a.requiresGrad ? sumToShape(mul(g, partials.a(ctx)), a) : null,
        b.requiresGrad ? sumToShape(mul(g, partials.b(ctx)), b) : null,
      ];
    },
    jvp: ([ta, tb], ctx) => {
      const terms: Tensor[] = [];
      if (ta) terms.push(mul(ta, partials.a(ctx)));
      if (tb) terms.push(mul(tb, partials.b(ctx)));
      return expandTo(terms.length === 2 ? add(terms[0], terms[1]) : terms[0], ctx.output);
    },
  });
}

/** Addition and subtraction need no multiplication by a partial of 1. */
function linearOp(kind: 'add' | 'sub'): OpDef {
  const signB = kind === 'add' ? (t: Tensor) => t : neg;
  return defineOp({
    name: kind,
    forward: ([a, b]) => binaryForward(kind, a, b),
    vjp: (g, { inputs: [a, b] }) => [
      a.requiresGrad ? sumToShape(g, a) : null,
      b.requiresGrad ? sumToShape(signB(g), b) : null,
    ],
    jvp: ([ta, tb], { output }) =>
      expandTo(ta && tb ? (kind === 'add' ? add(ta, tb) : sub(ta, tb)) : ta ?? signB(tb!), output),
    complex: linearInParts(([a, b]) => binaryForward(kind, a, b)),
  });
}

export const addOp = linearOp('add');
export const subOp = linearOp('sub');
export const mulOp = binaryOp('mul', { a: ({ inputs }) => inputs[1], b: ({ inputs }) => inputs[0] },
  { complex: bilinearInParts(([a, b]) => binaryForward('mul', a, b)) });
export const divOp = binaryOp('div', {
  a: ({ inputs }) => reciprocal(inputs[1]),
  b: ({ inputs, output }) => neg(div(output, inputs[1])),
}, { complex: complexBinary(cDiv) });
export const powOp = binaryOp('pow', {
  a: ({ inputs: [a, b] }) => mul(b, pow(a, sub(b, 1))),
  // d(a^b)/db = a^b log a; taken as 0 where a == 0 (PyTorch's convention, avoiding 0·-inf).
  b: ({ inputs: [a], output }) => where(eq(a, 0), 0, mul(output, log(a))),
}, { complex: complexBinary(cPow) });

/**
 * An operand's share of the gradient in maximum/minimum: 1 unless it loses, 1/2 on ties
 * (PyTorch's rule; where either is NaN both get the full gradient, as in PyTorch).
 */
function shareUnless(loses: (a: Tensor, b: Tensor) => Tensor, first: boolean) {
  return ({ inputs: [a, b] }: OpContext<undefined>) =>
    sub(sub(1, first ? loses(a, b) : loses(b, a)), mul(eq(a, b), 0.5));
}
const kink = { nonAnalytic: 'maximum and minimum have a kink where the operands meet' };
const below = (a: Tensor, b: Tensor) => lt(a, b), above = (a: Tensor, b: Tensor) => gt(a, b);
export const maximumOp = binaryOp('maximum', { a: shareUnless(below, true), b: shareUnless(below, false) }, kink);
export const minimumOp = binaryOp('minimum', { a: shareUnless(above, true), b: shareUnless(above, false) }, kink);

function comparisonOp(kind: BinaryKind): OpDef {
  return defineOp({ name: kind, forward: ([a, b]) => binaryForward(kind, a, b), nonAnalytic: 'comparisons are piecewise constant' });
}
export const eqOp = comparisonOp('eq');
export const gtOp = comparisonOp('gt');
export const ltOp = comparisonOp('lt');
export const geOp = comparisonOp('ge');
export const leOp = comparisonOp('le');

type Operand = Tensor | number;

function binary(op: OpDef) {
  return (a: Operand, b: Operand): Tensor => {
    // Plain numbers take the dtype of the tensor operand, as PyTorch's wrapped numbers do.
    if (typeof a === 'number') {
      const tb = asTensor(op.name, b, 'other');
      return apply(op, [asOperand(op.name, a, tb.dtype, 'input'), tb], undefined);
    }
    const ta = asTensor(op.name, a);
    return apply(op, [ta, asOperand(op.name, b, ta.dtype)], undefined);
  };
}

/** a + b with broadcasting: `x.add(y)`, `my.add(x, 1)`. */
export const add = binary(addOp);
export const sub = binary(subOp);
export const mul = binary(mulOp);
export const div = binary(divOp);
/** a ** b (tensor or number exponent). */
export const pow = binary(powOp);
/** Elementwise maximum; NaN propagates. */
export const maximum = binary(maximumOp);
export const minimum = binary(minimumOp);
/** 1 where a == b else 0, in the operands' dtype, with no gradient. */
export const eq = binary(eqOp);
export const gt = binary(gtOp);
export const lt = binary(ltOp);
export const ge = binary(geOp);
export const le = binary(leOp);

// ---------------------------------------------------------------- where

function whereForward([c, a, b]: readonly Tensor[]): Tensor {
  const shape = broadcastShapes('where', broadcastShapes('where', c.shape, a.shape), b.shape);
  const out = uninitialized(promoteTypes(a.dtype, b.dtype), shape);
  getBackend().where(c.data, broadcastStrides(c.shape, shape), a.data, broadcastStrides(a.shape, shape),
    b.data, broadcastStrides(b.shape, shape), out.data, shape);
  return out;
}

export const whereOp = defineOp({
  name: 'where',
  forward: whereForward,
  // Linear in a and b for a fixed (real) condition: the condition's imaginary part is ignored.
  complex: ([c, a, b]) => {
    const re = linearInParts(([x, y]) => whereForward([c, x, y]));
    return re([a, b], undefined);
  },
  vjp: (g, { inputs: [c, a, b] }) => [
    null,
    a.requiresGrad ? sumToShape(where(c, g, 0), a) : null,
    b.requiresGrad ? sumToShape(where(c, 0, g), b) : null,
  ],
  jvp: ([, ta, tb], { inputs: [c], output }) => expandTo(where(c, ta ?? 0, tb ?? 0), output),
});

/** Elementwise choice: `cond ? a : b` with broadcasting (cond: nonzero means true). */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  const c = asTensor('where', cond, 'condition');
  const dtype = a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : c.dtype;
  return apply(whereOp, [c, asOperand('where', a, dtype, 'input'), asOperand('where', b, dtype, 'other')], undefined);
}

export const elementwiseOps: readonly OpDef<any>[] = [
  negOp, expOp, logOp, sqrtOp, absOp, sinOp, cosOp, tanhOp, sigmoidOp, reluOp, squareOp, reciprocalOp,
  signOp, stepOp, addOp, subOp, mulOp, divOp, powOp, maximumOp, minimumOp,
  eqOp, gtOp, ltOp, geOp, leOp, whereOp,
];
