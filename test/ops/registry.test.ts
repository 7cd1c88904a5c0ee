import { describe, expect, it } from 'vitest';
import * as my from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { registry } from '../../src/ops/index.js';
import { buildRegistry, defineOp } from '../../src/ops/registry.js';
import { gradgradcheck } from '../../src/autograd/gradcheck.js';
import type { Node } from '../../src/autograd/graph.js';
import { OpNode } from '../../src/autograd/graph.js';
import { describeBackends } from '../helpers.js';
import { makeInputs, noGradientOps, opCases, type OpCase } from './cases.js';

/** Names of the registered ops in the graph behind `t`. */
function opsInGraph(t: Tensor): Set<string> {
  const names = new Set<string>();
  const seen = new Set<Node>();
  const stack = t.gradFn ? [t.gradFn] : [];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    if (n instanceof OpNode) names.add(n.op.name);
    for (const x of n.inputs ?? []) if (x.gradFn) stack.push(x.gradFn);
  }
  return names;
}

/** A reproducible random tensor of `like`'s shape. */
function probe(like: Tensor, phase: number): Tensor {
  const d = new Float64Array(like.size).map((_, i) => Math.sin(1.7 * i + phase) + 0.3);
  return my.tensor(d, { shape: like.shape.slice() });
}

function dot(a: Tensor, b: Tensor): number {
  let s = 0;
  for (let i = 0; i < a.size; i++) s += a.data[i] * b.data[i];
  return s;
}

/** <jvp(v), u> = <v, vjp(u)>: forward and reverse mode agree (each input along its own v). */
function checkAdjoint(c: OpCase): void {
  const xs = makeInputs(c);
  const vs = xs.map((x, i) => (x.requiresGrad ? probe(x, i) : my.zerosLike(x)));
  const [y, jv] = my.autograd.jvp(c.fn, xs, vs);
  expect(jv.shape).toEqual(y.shape);
  const u = probe(y, 11);
  const [y2, grads] = my.autograd.vjp(c.fn, xs, u);
  expect(Array.from(y2.data)).toEqual(Array.from(y.data));
  const lhs = dot(jv, u);
  const rhs = grads.reduce((s, g, i) => s + dot(g, vs[i]), 0);
  // Cases that round through float32 agree only to float32's precision.
  const tol = c.tol ? 1e-6 : 1e-10;
  expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(tol * (1 + Math.abs(lhs)));
}

describe('op registry', () => {
  it('throws on a name registered twice', () => {
    const a = defineOp({ name: 'twin', forward: ([x]) => x });
    expect(() => buildRegistry([a, a])).toThrow(/op registry: 'twin' is registered twice/);
  });

  it('has a VJP, a JVP and sample cases for every op, or lists it as carrying no gradient', () => {
    const problems: string[] = [];
    for (const [name, op] of registry) {
      if (noGradientOps.includes(name)) {
        if (op.vjp || op.jvp) problems.push(`${name} is listed as carrying no gradient but has a rule`);
        continue;
      }
      if (!op.vjp) problems.push(`${name} has no VJP`);
      if (!op.jvp) problems.push(`${name} has no JVP`);
      if (!opCases[name]?.length) problems.push(`${name} has no case in test/ops/cases.ts`);
    }
    for (const name of Object.keys(opCases)) if (!registry.has(name)) problems.push(`cases.ts names '${name}', which is not registered`);
    expect(problems).toEqual([]);
  });
});

describeBackends('every registered op', () => {
  for (const [name, op] of registry) {
    const cases = opCases[name] ?? [];
    for (const c of cases) {
      describe(`${name}: ${c.name}`, () => {
        it('exercises the op', () => {
          expect(opsInGraph(c.fn(...makeInputs(c)))).toContain(name);
        });
        it('gradcheck (central differences)', () => {
          expect(my.autograd.gradcheck(c.fn, makeInputs(c), c.tol)).toBe(true);
        });
        it('second order: gradient of the gradient', () => {
          expect(gradgradcheck(c.fn, makeInputs(c), c.tol)).toBe(true);
        });
        it('<jvp(v), u> = <v, vjp(u)>', () => checkAdjoint(c));
        if (op.complex) {
          it('complex step agrees with the analytic gradient', () => {
            const tol = c.tol ? { atol: 1e-6, rtol: 1e-5 } : { atol: 1e-12, rtol: 1e-10 };
            expect(my.autograd.gradcheck(c.fn, makeInputs(c), { method: 'complex-step', ...tol })).toBe(true);
          });
        } else {
          it('refuses complex evaluation with an Error naming an op', () => {
            // The first non-analytic op reached names itself (an input may come from another one).
            expect(() => my.autograd.gradcheck(c.fn, makeInputs(c), { method: 'complex-step' }))
              .toThrow(/^\w+: cannot be evaluated at complex inputs \(.+\); complex-step differentiation needs analytic ops/);
          });
        }
      });
    }
  }
});
