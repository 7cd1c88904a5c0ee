import { Tensor } from '../tensor.js';
import { check, fmtShape } from '../check.js';
import { allocate } from '../dtype.js';
import { getBackend } from '../backend/index.js';
import type { FusedActivation } from '../backend/backend.js';
import { apply } from '../autograd/graph.js';
import { isGradEnabled } from '../autograd/mode.js';
import { defineOp, type OpContext, type OpDef } from './registry.js';
import { asTensor, checkSameDtype, uninitialized } from './util.js';
import { add, mul, sub } from './elementwise.js';
import { sum } from './reduce.js';
import { softmax } from './softmax.js';
import { broadcastTo, reshape } from './shape.js';
import { mm } from './matmul.js';
import { activationGrad, activationRules } from './activation.js';

// ---------------------------------------------------------------- bias gradient

/** Σ_i dy[i, :]: the column sum that gives a bias its gradient. */
export const biasGradOp: OpDef = defineOp({
  name: 'biasGrad',
  forward: ([dy]) => {
    const [m, n] = dy.shape;
    const out = uninitialized(dy.dtype, [n]);
    getBackend().biasGrad(dy.data, m, n, out.data);
    return out;
  },
  vjp: (g, { inputs: [dy] }) => [broadcastTo(reshape(g, [1, -1]), dy.shape)],
  jvp: ([t]) => apply(biasGradOp, [t!], undefined),
  nonAnalytic: 'a backward helper, differentiated in real arithmetic only',
});

// ---------------------------------------------------------------- linear + activation

interface LinearActAttrs {
  activation: FusedActivation;
  param: number;
  /** x Wᵀ + b, kept by the forward when the slope needs the input (gelu, silu) and a graph is recorded. */
  preact: Tensor | null;
  /** A pre-activation already computed: the forward returns it instead of recomputing (see preactivation). */
  reuse: Tensor | null;
}

const fusedActivations: readonly FusedActivation[] = ['identity', 'relu', 'leakyRelu', 'elu', 'gelu', 'silu', 'sigmoid', 'tanh'];

/**
 * act(x Wᵀ + b) for x [m,k], W [n,k], b [n]: one GEMM whose epilogue adds the bias and
 * applies the activation. Backward: dY·act' in one pass (from the saved output where the
 * activation allows), then two GEMMs and a bias column sum, all ops, so grad of grad works.
 */
export const linearActOp: OpDef<LinearActAttrs> = defineOp<LinearActAttrs>({
  name: 'linearAct',
  forward: (inputs, attrs) => {
    if (attrs.reuse !== null) return new Tensor(attrs.reuse.data, attrs.reuse.shape);
    const [x, w, b] = inputs;
    const m = x.shape[0], k = x.shape[1], n = w.shape[0];
    const out = uninitialized(x.dtype, [m, n]);
    const kernels = getBackend();
    const keepPreact = !activationRules[attrs.activation].fromOutput && isGradEnabled() && inputs.some((t) => t.requiresGrad);
    if (keepPreact) {
      const z = uninitialized(x.dtype, [m, n]);
      kernels.linearForward(x.data, w.data, b?.data ?? null, 'identity', 0, z.data, m, n, k);
      kernels.activationForward(attrs.activation, attrs.param, z.data, out.data);
      attrs.preact = z;
    } else {
      kernels.linearForward(x.data, w.data, b?.data ?? null, attrs.activation, attrs.param, out.data, m, n, k);
    }
    return out;
  },
  freshGrads: true,
  vjp: (g, ctx) => {
    const [x, w, b] = ctx.inputs;
    const dz = preactivationGrad(g, ctx);
    return [
      x.requiresGrad ? mm(dz, w) : null,
      w.requiresGrad ? mm(dz, x, true, false) : null,
      ...(b === undefined ? [] : [b.requiresGrad ? apply(biasGradOp, [dz], undefined) : null]),
    ];
  },
  jvp: ([tx, tw, tb], ctx) => {
    const [x, w] = ctx.inputs;
    let tz: Tensor | null = null;
    const plus = (t: Tensor) => { tz = tz === null ? t : add(tz, t); };
    if (tx) plus(mm(tx, w, false, true));
    if (tw) plus(mm(x, tw, false, true));
    if (tb) plus(broadcastTo(reshape(tb, [1, -1]), ctx.output.shape));
    const { activation, param } = ctx.attrs;
    if (activation === 'identity') return tz!;
    const rule = activationRules[activation];
    return mul(tz!, rule.slope(rule.fromOutput ? ctx.output : preactivation(ctx), param));
  },
  nonAnalytic: 'activations are evaluated on real numbers only',
});

/** x Wᵀ + b as a graph node: from the forward's saved copy when there is one (no second GEMM). */
function preactivation(ctx: OpContext<LinearActAttrs>): Tensor {
  return apply(linearActOp, ctx.inputs, { activation: 'identity', param: 0, preact: null, reuse: ctx.attrs.preact });
}

/** dL/dz = g·act'(z) for z = x Wᵀ + b. */
function preactivationGrad(g: Tensor, ctx: OpContext<LinearActAttrs>): Tensor {
  const { activation, param } = ctx.attrs;
  if (activation === 'identity') return g;
  const y = ctx.output;
  return activationGrad(g, y, activationRules[activation].fromOutput ? y : preactivation(ctx), activation, param);
}

/**
 * act(x Wᵀ + b) as one fused op, for 2-D x [m,k], W [n,k] and b [n] (or null) of one dtype:
 * `linearAct(x, w, b, 'relu')`. `param` is leakyRelu's negative slope or elu's alpha (>= 0).
 */
export function linearAct(input: Tensor, weight: Tensor, bias: Tensor | null, activation: FusedActivation, param = 0): Tensor {
  const x = asTensor('linearAct', input), w = asTensor('linearAct', weight, 'weight');
  check(fusedActivations.includes(activation), () =>
    `linearAct: unknown activation '${String(activation)}' (expected one of ${fusedActivations.join(', ')})`);
  check(typeof param === 'number' && Number.isFinite(param) && ((activation !== 'leakyRelu' && activation !== 'elu') || param >= 0), () =>
    `linearAct: ${activation} needs a finite parameter >= 0, got ${param}`);
  check(x.ndim === 2 && w.ndim === 2 && x.shape[1] === w.shape[1], () =>
    `linearAct: input ${fmtShape(x.shape)} and weight ${fmtShape(w.shape)}: expected [m,k] and [n,k]`);
  checkSameDtype('linearAct', x, w);
  const inputs = [x, w];
  if (bias !== null) {
    const b = asTensor('linearAct', bias, 'bias');
    check(b.ndim === 1 && b.shape[0] === w.shape[0], () => `linearAct: bias ${fmtShape(b.shape)} must have shape [${w.shape[0]}]`);
    checkSameDtype('linearAct', x, b);
    inputs.push(b);
  }
  return apply(linearActOp, inputs, { activation, param, preact: null, reuse: null });
}

// ---------------------------------------------------------------- softmax + cross-entropy

interface SoftmaxCrossEntropyAttrs {
  targets: Int32Array;
  /** softmax(logits), written by the forward for the backward kernel. */
  prob: Tensor | null;
}

function oneHot(targets: Int32Array, like: Tensor): Tensor {
  const [m, n] = like.shape;
  const data = allocate(like.dtype, m * n);
  for (let i = 0; i < m; i++) data[i * n + targets[i]] = 1;
  return new Tensor(data, like.shape);
}

/** The per-row loss lse(logits_i) - logits_i[t_i] in one kernel; it keeps the softmax for the backward. */
export const softmaxCrossEntropyOp: OpDef<SoftmaxCrossEntropyAttrs> = defineOp<SoftmaxCrossEntropyAttrs>({
  name: 'softmaxCrossEntropy',
  forward: ([logits], attrs) => {
    const [m, n] = logits.shape;
    const loss = uninitialized(logits.dtype, [m]);
    const prob = uninitialized(logits.dtype, [m, n]);
    getBackend().softmaxCrossEntropy(logits.data, m, n, attrs.targets, loss.data, prob.data);
    attrs.prob = prob;
    return loss;
  },
  vjp: (g, { inputs: [logits], attrs }) => [apply(softmaxCrossEntropyBackwardOp, [logits, g], attrs)],
  jvp: ([t], { inputs: [logits], attrs }) =>
    sum(mul(sub(attrs.prob ?? softmax(logits, 1), oneHot(attrs.targets, logits)), t!), 1),
  nonAnalytic: 'a fused loss, evaluated on real numbers only',
});

/** (softmax(logits) - onehot)·g[:, None] in one kernel; its own VJP is written with ops. */
export const softmaxCrossEntropyBackwardOp: OpDef<SoftmaxCrossEntropyAttrs> = defineOp<SoftmaxCrossEntropyAttrs>({
  name: 'softmaxCrossEntropyBackward',
  forward: ([logits, g], { targets, prob }) => {
    const p = prob ?? softmax(logits.detach(), 1);
    const out = uninitialized(logits.dtype, logits.shape);
    getBackend().softmaxCrossEntropyBackward(p.data, targets, g.data, out.data);
    return out;
  },
  vjp: (G, { inputs: [logits, g], attrs }) => {
    const p = softmax(logits, 1);
    // The softmax Jacobian applied to G: p⊙G - p Σ_j p⊙G, scaled per row by g.
    const pG = mul(p, G);
    return [
      logits.requiresGrad ? mul(sub(pG, mul(p, sum(pG, 1, true))), reshape(g, [-1, 1])) : null,
      g.requiresGrad ? sum(mul(G, sub(p, oneHot(attrs.targets, logits))), 1) : null,
    ];
  },
  jvp: ([tl, tg], { inputs: [logits, g], attrs }) => {
    const p = softmax(logits, 1);
    const terms: Tensor[] = [];
    if (tl) {
      const pt = mul(p, tl);
      terms.push(mul(sub(pt, mul(p, sum(pt, 1, true))), reshape(g, [-1, 1])));
    }
    if (tg) terms.push(mul(sub(p, oneHot(attrs.targets, logits)), reshape(tg, [-1, 1])));
    return terms.length === 1 ? terms[0] : add(terms[0], terms[1]);
  },
  nonAnalytic: 'a fused loss, evaluated on real numbers only',
});

/**
 * Per-row cross-entropy -log softmax(logits)[i, t_i] for logits [m,n] and validated class
 * indices t (Int32Array of length m): one kernel forward, one backward.
 */
export function softmaxCrossEntropy(input: Tensor, targets: Int32Array): Tensor {
  const logits = asTensor('softmaxCrossEntropy', input);
  check(logits.ndim === 2, () => `softmaxCrossEntropy: logits must be [batch, classes], got ${fmtShape(logits.shape)}`);
  const [m, n] = logits.shape;
  check(targets instanceof Int32Array && targets.length === m, () =>
    `softmaxCrossEntropy: expected an Int32Array of ${m} targets, got ${targets instanceof Int32Array ? targets.length : typeof targets}`);
  // Plain loop, no closure per element: this runs on every training batch.
  for (let i = 0; i < m; i++) {
    const t = targets[i];
    if (!(t >= 0 && t < n)) throw new Error(`softmaxCrossEntropy: target ${t} at position ${i} is out of range for ${n} classes`);
  }
  return apply(softmaxCrossEntropyOp, [logits], { targets, prob: null });
}

export const fusedOps: readonly OpDef<any>[] = [biasGradOp, linearActOp, softmaxCrossEntropyOp, softmaxCrossEntropyBackwardOp];
