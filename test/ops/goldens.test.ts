import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { describeBackends, expectClose } from '../helpers.js';

/** Values and gradients against PyTorch 1.13 (test/goldens/ops.py writes ops.json). */
interface Golden {
  name: string;
  inputs: { shape: number[]; data: number[] }[];
  output: { shape: number[]; data: number[] };
  grads: number[][];
}
const goldens: Golden[] = JSON.parse(readFileSync(new URL('../goldens/ops.json', import.meta.url), 'utf8')).cases;

/** The same expressions as ops.py, by case name. */
const exprs: Record<string, (...xs: Tensor[]) => Tensor> = {
  'add broadcast': (a, b) => a.add(b),
  'sub number': (a) => a.sub(0.5),
  'number minus': (a) => my.sub(2, a),
  'mul broadcast': (a, b) => a.mul(b),
  div: (a, b) => a.div(b),
  'pow tensor': (a, b) => a.pow(b),
  'pow number': (a) => a.pow(3),
  maximum: (a, b) => a.maximum(b),
  minimum: (a, b) => a.minimum(b),
  neg: (a) => a.neg(),
  exp: (a) => a.exp(),
  log: (a) => a.log(),
  sqrt: (a) => a.sqrt(),
  abs: (a) => a.abs(),
  sin: (a) => a.sin(),
  cos: (a) => a.cos(),
  tanh: (a) => a.tanh(),
  sigmoid: (a) => a.sigmoid(),
  relu: (a) => a.relu(),
  square: (a) => a.square(),
  reciprocal: (a) => a.reciprocal(),
  'sum all': (a) => a.sum(),
  'sum dims keepdim': (a) => a.sum([0, 2], true),
  'mean dim': (a) => a.mean(1),
  'max dim': (a) => a.max(-1),
  'max all': (a) => a.max(),
  'reshape transpose': (a) => a.reshape(3, -1).transpose(0, 1),
  permute: (a) => a.permute(2, 0, 1),
  broadcast_to: (a) => a.broadcastTo([2, 2, 3]).mul(my.arange(12).reshape(2, 2, 3).to(a.dtype)),
  concat: (a, b) => my.concat([a, b], 1),
  stack: (a, b) => my.stack([a, b], 0),
  narrow: (a) => a.narrow(1, 1, 2),
  gather: (a) => a.gather(1, my.tensor([[0, 2], [1, 1], [3, 0]])),
  where: (a, b) => my.where(a.gt(0), a, b),
  'matmul 2-D': (a, b) => a.matmul(b),
  'matmul 1-D @ 2-D': (a, b) => a.matmul(b),
  'matmul batched broadcast': (a, b) => a.matmul(b),
  'matmul 2-D @ 1-D': (a, b) => a.matmul(b),
  det: (a) => my.linalg.det(a),
  inv: (a) => my.linalg.inv(a),
  solve: (a, b) => my.linalg.solve(a, b),
  'solve vector': (a, b) => my.linalg.solve(a, b),
  'softmax-like chain': (a) => a.exp().div(a.exp().sum(1, true)).log().mean(),
};

function weights(shape: readonly number[]): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  return my.tensor(Float64Array.from({ length: n }, (_, i) => Math.cos(1 + 0.7 * i)), { shape: shape.slice() });
}

describeBackends('ops against PyTorch goldens', () => {
  it('every golden case has an expression here', () => {
    expect(goldens.map((g) => g.name).filter((n) => !(n in exprs))).toEqual([]);
  });

  for (const g of goldens) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`${g.name} (${dtype})`, () => {
        const tol = dtype === 'float64' ? { atol: 1e-12, rtol: 1e-10 } : { atol: 2e-5, rtol: 2e-5 };
        const xs = g.inputs.map((x) => my.tensor(Float64Array.from(x.data), { shape: x.shape, dtype, requiresGrad: true }));
        const y = exprs[g.name](...xs);
        expect(y.dtype).toBe(dtype);
        expectClose(y, my.tensor(Float64Array.from(g.output.data), { shape: g.output.shape }), tol);
        y.mul(weights(y.shape).to(dtype)).sum().backward();
        xs.forEach((x, i) => expectClose(x.grad!, my.tensor(Float64Array.from(g.grads[i]), { shape: x.shape.slice() }), tol));
      });
    }
  }
});
