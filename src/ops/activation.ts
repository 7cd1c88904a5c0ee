import type { Tensor } from '../tensor.js';
import { check, fmtShape } from '../check.js';
import { sameShape } from '../shape.js';
import { getBackend } from '../backend/index.js';
import type { ActivationKind } from '../backend/backend.js';
import { apply } from '../autograd/graph.js';
import { defineOp, type OpDef } from './registry.js';
import { asTensor, empty, uninitialized } from './util.js';
import { add, exp, gt, le, mul, sigmoid, square, step, sub, where } from './elementwise.js';

/**
 * How an activation differentiates, written with differentiable ops so that derivatives of
 * any order work. `slope(s)` is act' as a function of s, which is the output y when y
 * determines the slope (saving the input is then unnecessary) or else the input x;
 * `curvature(s)` is d slope / d s (null when it is zero everywhere).
 */
export interface ActivationRule {
  readonly fromOutput: boolean;
  readonly slope: (s: Tensor, param: number) => Tensor;
  readonly curvature: ((s: Tensor, param: number) => Tensor) | null;
}

const INV_SQRT_2PI = 0.3989422804014327;
const TWO_OVER_SQRT_PI = 1.1283791670955126;
const gaussian = (x: Tensor) => mul(exp(mul(square(x), -0.5)), INV_SQRT_2PI);
/** The standard normal CDF Φ(x) = (1 + erf(x/√2)) / 2. */
const normalCdf = (x: Tensor) => mul(add(activation(mul(x, Math.SQRT1_2), 'erf'), 1), 0.5);

const zeroSlope = (s: Tensor) => empty(s.dtype, s.shape);

export const activationRules: Readonly<Record<ActivationKind, ActivationRule>> = {
  identity: { fromOutput: true, slope: (y) => add(zeroSlope(y), 1), curvature: null },
  relu: { fromOutput: true, slope: (y) => step(y), curvature: null },
  // From y only for slopes >= 0 (the public wrappers route negative ones elsewhere): y > 0 iff x > 0.
  leakyRelu: { fromOutput: true, slope: (y, p) => where(gt(y, 0), 1, p), curvature: null },
  // For x <= 0, elu' = α e^x = y + α; d(y + α)/dy = 1 there.
  elu: { fromOutput: true, slope: (y, a) => where(gt(y, 0), 1, add(y, a)), curvature: (y) => le(y, 0) },
  sigmoid: { fromOutput: true, slope: (y) => mul(y, sub(1, y)), curvature: (y) => sub(1, mul(y, 2)) },
  tanh: { fromOutput: true, slope: (y) => sub(1, square(y)), curvature: (y) => mul(y, -2) },
  // gelu' = Φ(x) + x φ(x); gelu'' = φ(x)(2 - x²).
  gelu: {
    fromOutput: false,
    slope: (x) => add(normalCdf(x), mul(x, gaussian(x))),
    curvature: (x) => mul(gaussian(x), sub(2, square(x))),
  },
  // silu' = σ(1 + x(1 - σ)); silu'' = σ(1 - σ)(2 + x(1 - 2σ)).
  silu: {
    fromOutput: false,
    slope: (x) => { const s = sigmoid(x); return mul(s, add(1, mul(x, sub(1, s)))); },
    curvature: (x) => {
      const s = sigmoid(x);
      return mul(mul(s, sub(1, s)), add(2, mul(x, sub(1, mul(s, 2)))));
    },
  },
  erf: {
    fromOutput: false,
    slope: (x) => mul(exp(mul(square(x), -1)), TWO_OVER_SQRT_PI),
    curvature: (x) => mul(mul(exp(mul(square(x), -1)), TWO_OVER_SQRT_PI), mul(x, -2)),
  },
  softplus: { fromOutput: false, slope: (x) => sigmoid(x), curvature: (x) => { const s = sigmoid(x); return mul(s, sub(1, s)); } },
  heaviside: { fromOutput: false, slope: zeroSlope, curvature: null },
};

interface ActivationAttrs {
  kind: ActivationKind;
  param: number;
}

/** y = act(x) elementwise, through the backend's activation kernel. */
export const activationOp: OpDef<ActivationAttrs> = defineOp<ActivationAttrs>({
  name: 'activation',
  forward: ([x], { kind, param }) => {
    const out = uninitialized(x.dtype, x.shape);
    getBackend().activationForward(kind, param, x.data, out.data);
    return out;
  },
  vjp: (g, { inputs: [x], output, attrs }) => [activationGrad(g, output, x, attrs.kind, attrs.param)],
  jvp: ([t], { inputs: [x], output, attrs: { kind, param } }) => {
    const rule = activationRules[kind];
    return mul(t!, rule.slope(rule.fromOutput ? output : x, param));
  },
  nonAnalytic: 'activations are evaluated on real numbers only',
});

interface ActivationGradAttrs extends ActivationAttrs {
  /** The forward's output, handed to the kernel when the slope is taken from the input. */
  output: Tensor | null;
}

/**
 * dy·act'(s) in one pass (s = the saved output or input, per the rule); an op itself, so
 * that its own VJP (through `curvature`) gives second derivatives.
 */
export const activationGradOp: OpDef<ActivationGradAttrs> = defineOp<ActivationGradAttrs>({
  name: 'activationBackward',
  forward: ([dy, s], { kind, param, output }) => {
    const out = uninitialized(dy.dtype, dy.shape);
    if (activationRules[kind].fromOutput) getBackend().activationBackward(kind, param, dy.data, s.data, null, out.data);
    else getBackend().activationBackward(kind, param, dy.data, (output ?? s).data, s.data, out.data);
    return out;
  },
  vjp: (g, { inputs: [dy, s], attrs }) => {
    const curvature = activationRules[attrs.kind].curvature;
    return [
      dy.requiresGrad ? apply(activationGradOp, [g, s], attrs) : null,
      s.requiresGrad && curvature !== null ? mul(mul(g, dy), curvature(s, attrs.param)) : null,
    ];
  },
  jvp: ([tdy, ts], { inputs: [dy, s], attrs }) => {
    const curvature = activationRules[attrs.kind].curvature;
    const terms: Tensor[] = [];
    if (tdy) terms.push(apply(activationGradOp, [tdy, s], attrs));
    if (ts && curvature !== null) terms.push(mul(mul(ts, dy), curvature(s, attrs.param)));
    return terms.length === 0 ? zeroSlope(dy) : terms.length === 1 ? terms[0] : add(terms[0], terms[1]);
  },
  nonAnalytic: 'activations are evaluated on real numbers only',
});

function checkKind(op: string, kind: string): asserts kind is ActivationKind {
  check(Object.prototype.hasOwnProperty.call(activationRules, kind), () =>
    `${op}: unknown activation '${kind}' (expected one of ${Object.keys(activationRules).join(', ')})`);
}

/**
 * act(x) for one of the kernel activations (param: leakyRelu's slope or elu's alpha, both
 * >= 0 here): `activation(x, 'gelu')`.
 */
export function activation(x: Tensor, kind: ActivationKind, param = 0): Tensor {
  const t = asTensor(kind, x);
  checkKind('activation', kind);
  check((kind !== 'leakyRelu' && kind !== 'elu') || param >= 0, () =>
    `${kind}: the fused kernel needs a parameter >= 0, got ${param}`);
  return apply(activationOp, [t], { kind, param });
}

/** dy·act'(·) given the forward's output y and input x (only the one the rule needs is used). */
export function activationGrad(dy: Tensor, y: Tensor, x: Tensor, kind: ActivationKind, param = 0): Tensor {
  checkKind('activationGrad', kind);
  check(sameShape(dy.shape, y.shape) && sameShape(dy.shape, x.shape), () =>
    `activationGrad: dy ${fmtShape(dy.shape)}, y ${fmtShape(y.shape)} and x ${fmtShape(x.shape)} must have one shape`);
  if (kind === 'identity') return dy;
  const rule = activationRules[kind];
  return apply(activationGradOp, [dy, rule.fromOutput ? y : x], { kind, param, output: rule.fromOutput ? null : y.detach() });
}

export const activationOps: readonly OpDef<any>[] = [activationOp, activationGradOp];
