/**
 * Sample cases for every registered op, keyed by op name: the enumeration test
 * (registry.test.ts) gradchecks each one (first and second order, forward and reverse mode)
 * and fails for an op that has none. Inputs are float64; shapes cover broadcasting, size-1
 * dims and 0-d tensors where the op allows them.
 */
import * as my from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import type { GradcheckOptions } from '../../src/autograd/index.js';
import { apply } from '../../src/autograd/graph.js';
import { padOp } from '../../src/ops/shape.js';
import { mm } from '../../src/ops/matmul.js';
import { det, inv, solve } from '../../src/ops/linalg.js';
import { activation, activationGrad } from '../../src/ops/activation.js';
import { biasGradOp, linearAct, softmaxCrossEntropy, softmaxCrossEntropyBackwardOp } from '../../src/ops/fused.js';
import { logSoftmax, softmax } from '../../src/ops/softmax.js';

/** 'any': uniform in ±[0.2, 1.5] (away from the kinks of abs/relu/sign); 'positive': [0.5, 2]. */
export type Domain = 'any' | 'positive';

export type InputSpec =
  | readonly number[]
  | { shape: readonly number[]; domain: Domain }
  /** A fixed input that is not differentiated (a condition, say). */
  | { constant: number[] | number[][] };

export interface OpCase {
  /** What the case covers, for test names. */
  name: string;
  inputs: readonly InputSpec[];
  fn: (...xs: Tensor[]) => Tensor;
  /** Tolerances for the central-difference checks (defaults: gradcheck's). */
  tol?: GradcheckOptions;
}

/** Ops that carry no gradient by definition; everything else needs a VJP, a JVP and cases. */
export const noGradientOps = ['eq', 'gt', 'lt', 'ge', 'le', 'sign', 'step'];

function unaryCases(fn: (x: Tensor) => Tensor, domain: Domain = 'any'): OpCase[] {
  return [
    { name: '[3]', inputs: [{ shape: [3], domain }], fn },
    { name: '[2,1,3]', inputs: [{ shape: [2, 1, 3], domain }], fn },
    { name: '0-d', inputs: [{ shape: [], domain }], fn },
  ];
}

/** Same shapes, broadcasting both ways, a size-1 dim, a 0-d operand, a plain number. */
function binaryCases(fn: (a: Tensor, b: Tensor | number) => Tensor, domainB: Domain = 'any', domainA: Domain = 'any'): OpCase[] {
  const two = (a: number[], b: number[]): InputSpec[] => [{ shape: a, domain: domainA }, { shape: b, domain: domainB }];
  return [
    { name: '[2,3] and [2,3]', inputs: two([2, 3], [2, 3]), fn },
    { name: '[2,3] and [3]', inputs: two([2, 3], [3]), fn },
    { name: '[2,1] and [1,3]', inputs: two([2, 1], [1, 3]), fn },
    { name: '[] and [2,2]', inputs: two([], [2, 2]), fn },
    { name: 'tensor and number', inputs: [{ shape: [2, 2], domain: domainA }], fn: (a) => fn(a, domainB === 'positive' ? 1.3 : -0.7) },
  ];
}

const cast32 = { eps: 1e-3, atol: 1e-3, rtol: 1e-3 };

export const opCases: Record<string, readonly OpCase[]> = {
  neg: unaryCases((x) => x.neg()),
  exp: unaryCases((x) => x.exp()),
  log: unaryCases((x) => x.log(), 'positive'),
  sqrt: unaryCases((x) => x.sqrt(), 'positive'),
  abs: unaryCases((x) => x.abs()),
  sin: unaryCases((x) => x.sin()),
  cos: unaryCases((x) => x.cos()),
  tanh: unaryCases((x) => x.tanh()),
  sigmoid: unaryCases((x) => x.sigmoid()),
  relu: unaryCases((x) => x.relu()),
  square: unaryCases((x) => x.square()),
  reciprocal: unaryCases((x) => x.reciprocal()),
  add: binaryCases((a, b) => a.add(b)),
  sub: binaryCases((a, b) => a.sub(b)),
  mul: binaryCases((a, b) => a.mul(b)),
  div: binaryCases((a, b) => a.div(b)),
  pow: [
    ...binaryCases((a, b) => a.pow(b), 'any', 'positive'),
    { name: 'integer exponent, negative base', inputs: [[2, 2]], fn: (a) => a.pow(3) },
    { name: 'number base', inputs: [[3]], fn: (b) => my.pow(2, b) },
  ],
  maximum: binaryCases((a, b) => a.maximum(b)),
  minimum: binaryCases((a, b) => a.minimum(b)),
  where: [
    { name: 'broadcast', inputs: [{ constant: [[1, 0, 1], [0, 0, 1]] }, [3], [2, 1]], fn: (c, a, b) => my.where(c, a, b) },
    { name: 'same shape', inputs: [{ constant: [1, 0, 0, 1] }, [4], [4]], fn: (c, a, b) => my.where(c, a, b) },
  ],
  sum: [
    { name: 'all', inputs: [[2, 3]], fn: (x) => x.sum() },
    { name: 'dim 1', inputs: [[2, 3]], fn: (x) => x.sum(1) },
    { name: 'dims [0,2] keepDim', inputs: [[2, 1, 3]], fn: (x) => x.sum([0, 2], true) },
    { name: 'mean', inputs: [[2, 3]], fn: (x) => x.mean(-1) },
    { name: '0-d', inputs: [[]], fn: (x) => x.sum() },
  ],
  max: [
    { name: 'all', inputs: [[2, 3]], fn: (x) => x.max() },
    { name: 'dim 0', inputs: [[3, 2]], fn: (x) => x.max(0) },
    { name: 'dim -1 keepDim', inputs: [[2, 1, 3]], fn: (x) => x.max(-1, true) },
  ],
  reshape: [
    { name: '-1', inputs: [[2, 3]], fn: (x) => x.reshape(3, -1) },
    { name: 'unsqueeze', inputs: [[3]], fn: (x) => x.unsqueeze(0) },
    { name: 'squeeze', inputs: [[2, 1, 3]], fn: (x) => x.squeeze() },
    { name: 'flatten', inputs: [[2, 2, 2]], fn: (x) => x.flatten(1) },
  ],
  permute: [
    { name: 'permute', inputs: [[2, 3, 2]], fn: (x) => x.permute(2, 0, 1) },
    { name: 'transpose', inputs: [[2, 1, 3]], fn: (x) => x.transpose(0, 2) },
    { name: 'T', inputs: [[2, 3]], fn: (x) => x.T },
  ],
  broadcastTo: [
    { name: '[3] to [2,3]', inputs: [[3]], fn: (x) => x.broadcastTo([2, 3]) },
    { name: '[2,1] to [2,4]', inputs: [[2, 1]], fn: (x) => x.broadcastTo([2, 4]) },
    { name: '[] to [2,2]', inputs: [[]], fn: (x) => x.broadcastTo([2, 2]) },
  ],
  cast: [
    { name: 'float64 -> float32 -> float64', inputs: [[2, 3]], fn: (x) => x.to('float32').mul(2).to('float64'), tol: cast32 },
    { name: 'promotion', inputs: [[3]], fn: (x) => x.to('float32').to('float64').add(x), tol: cast32 },
  ],
  clone: [{ name: 'clone', inputs: [[2, 3]], fn: (x) => x.clone() }],
  narrow: [
    { name: 'dim 1', inputs: [[2, 4]], fn: (x) => x.narrow(1, 1, 2) },
    { name: 'dim 0', inputs: [[3, 1]], fn: (x) => x.narrow(0, 2, 1) },
  ],
  pad: [{ name: 'dim 1', inputs: [[2, 2]], fn: (x) => apply(padOp, [x], { dim: 1, start: 1, size: 4 }) }],
  concat: [
    { name: 'dim 1', inputs: [[2, 1], [2, 3]], fn: (a, b) => my.concat([a, b], 1) },
    { name: 'stack', inputs: [[3], [3]], fn: (a, b) => my.stack([a, b], 1) },
  ],
  gather: [
    { name: 'dim 1', inputs: [[3, 4]], fn: (x) => x.gather(1, my.tensor([[0], [3], [1]])) },
    { name: 'dim 0, repeats', inputs: [[3, 2]], fn: (x) => x.gather(0, my.tensor([[2, 0], [2, 2]])) },
  ],
  scatterAdd: [
    { name: 'dim 1, duplicates', inputs: [[2, 3]], fn: (s) => my.scatterAdd(s, 1, my.tensor([[0, 2, 0], [1, 1, 3]]), [2, 4]) },
  ],
  mm: [
    { name: 'matmul 2-D', inputs: [[2, 3], [3, 4]], fn: (a, b) => a.matmul(b) },
    { name: 'transposed flags', inputs: [[3, 2], [4, 3]], fn: (a, b) => mm(a, b, true, true) },
    { name: 'matmul 1-D @ 2-D', inputs: [[3], [3, 2]], fn: (a, b) => a.matmul(b) },
    { name: 'matmul 1-D @ 1-D', inputs: [[3], [3]], fn: (a, b) => a.matmul(b) },
    { name: 'matmul batched broadcast', inputs: [[2, 1, 2, 3], [3, 3, 2]], fn: (a, b) => a.matmul(b) },
    { name: 'matmul batch @ matrix', inputs: [[2, 2, 3], [3, 1]], fn: (a, b) => a.matmul(b) },
  ],

  // Random matrices shifted by 3I stay well conditioned.
  det: [
    { name: '[3,3]', inputs: [[3, 3]], fn: (a) => det(a.add(eye3())) },
    { name: 'batch [2,2,2]', inputs: [[2, 2, 2]], fn: (a) => det(a.add(eye2())) },
    { name: '[1,1]', inputs: [[1, 1]], fn: (a) => det(a) },
  ],
  inv: [
    { name: '[3,3]', inputs: [[3, 3]], fn: (a) => inv(a.add(eye3())) },
    { name: 'batch [2,2,2]', inputs: [[2, 2, 2]], fn: (a) => inv(a.add(eye2())) },
  ],
  solve: [
    { name: 'matrix rhs', inputs: [[3, 3], [3, 2]], fn: (a, b) => solve(a.add(eye3()), b) },
    { name: 'vector rhs', inputs: [[3, 3], [3]], fn: (a, b) => solve(a.add(eye3()), b) },
    { name: 'batch of vectors', inputs: [[2, 2, 2], [2, 2]], fn: (a, b) => solve(a.add(eye2()), b) },
  ],

  // ------------------------------------------------------------ fused nn ops (src/ops/fused.ts, activation.ts)
  activation: (['gelu', 'silu', 'elu', 'softplus', 'erf', 'tanh', 'sigmoid', 'leakyRelu'] as const).map((kind) => ({
    name: kind, inputs: [[2, 3]], fn: (x: Tensor) => activation(x, kind, kind === 'elu' ? 1 : kind === 'leakyRelu' ? 0.1 : 0),
  })),
  activationBackward: (['gelu', 'silu', 'tanh', 'elu'] as const).map((kind) => ({
    name: kind, inputs: [[2, 3], [2, 3]],
    fn: (dy: Tensor, x: Tensor) => activationGrad(dy, activation(x, kind, 1), x, kind, 1),
  })),
  biasGrad: [{ name: '[3,2]', inputs: [[3, 2]], fn: (dy) => apply(biasGradOp, [dy], undefined) }],
  linearAct: [
    ...(['identity', 'relu', 'gelu', 'tanh', 'sigmoid', 'silu'] as const).map((act) => ({
      name: act, inputs: [[3, 2], [4, 2], [4]], fn: (x: Tensor, w: Tensor, b: Tensor) => linearAct(x, w, b, act),
    })),
    { name: 'no bias, elu', inputs: [[3, 2], [4, 2]], fn: (x, w) => linearAct(x, w, null, 'elu', 0.5) },
  ],
  // Along the last dim, a middle one, the first; a 0-d tensor.
  softmax: [
    { name: '[3,4] dim 1', inputs: [[3, 4]], fn: (x) => softmax(x, 1) },
    { name: '[2,3,2] dim 1', inputs: [[2, 3, 2]], fn: (x) => softmax(x, 1) },
    { name: '[3,2] dim 0', inputs: [[3, 2]], fn: (x) => softmax(x, -2) },
    { name: '0-d', inputs: [[]], fn: (x) => softmax(x, 0) },
  ],
  logSoftmax: [
    { name: '[3,4] dim 1', inputs: [[3, 4]], fn: (x) => logSoftmax(x, -1) },
    { name: '[2,3,2] dim 1', inputs: [[2, 3, 2]], fn: (x) => logSoftmax(x, 1) },
    { name: '[3,2] dim 0', inputs: [[3, 2]], fn: (x) => logSoftmax(x, 0) },
  ],
  softmaxCrossEntropy: [{ name: '[3,4]', inputs: [[3, 4]], fn: (z) => softmaxCrossEntropy(z, Int32Array.from([0, 3, 1])) }],
  softmaxCrossEntropyBackward: [{
    name: '[3,4]', inputs: [[3, 4], [3]],
    fn: (z, g) => apply(softmaxCrossEntropyBackwardOp, [z, g], { targets: Int32Array.from([2, 0, 1]), prob: null }),
  }],
};

function eye3(): Tensor { return my.eye(3, { dtype: 'float64' }).mul(3); }
function eye2(): Tensor { return my.eye(2, { dtype: 'float64' }).mul(3); }

/** A small deterministic generator, so each case's values do not depend on test order. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The case's float64 inputs; differentiable ones require grad. */
export function makeInputs(c: OpCase, seed = 1): Tensor[] {
  const rnd = lcg(seed);
  return c.inputs.map((spec) => {
    if ('constant' in spec) return my.tensor(spec.constant, { dtype: 'float64' });
    const { shape, domain } = Array.isArray(spec) ? { shape: spec as readonly number[], domain: 'any' as Domain } : (spec as { shape: number[]; domain: Domain });
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const u = rnd();
      data[i] = domain === 'positive' ? 0.5 + 1.5 * u : (u < 0.5 ? -1 : 1) * (0.2 + 2.6 * Math.abs(u - 0.5));
    }
    return my.tensor(data, { shape: shape.slice(), requiresGrad: true });
  });
}
