import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import type { Tensor } from '../../src/tensor.js';
import { spareBytes } from '../../src/ops/storage.js';
import { describeBackends } from '../helpers.js';

// Weight gradients the library alone held go back for reuse at zeroGrad (ops/storage.ts).
// These tests pin down when that may happen and that it never changes a result.

type DType = 'float32' | 'float64';
const F = my.nn.functional;

/** 48-32-16-10: weight gradients of 6 KiB and up (float32), past the reuse threshold. */
function makeNet(dtype: DType, seed = 3): my.nn.Sequential {
  my.manualSeed(seed);
  const net = new my.nn.Sequential(new my.nn.Linear(48, 32), new my.nn.ReLU(), new my.nn.Linear(32, 16), new my.nn.Tanh(), new my.nn.Linear(16, 10));
  return dtype === 'float64' ? net.to('float64') : net;
}

function batch(dtype: DType, seed: number): [Tensor, Int32Array] {
  my.manualSeed(seed);
  const x = my.randn([8, 48], { dtype });
  const y = Int32Array.from({ length: 8 }, (_, i) => (i * 7 + seed) % 10);
  return [x, y];
}

const lossOf = (net: my.nn.Sequential, [x, y]: [Tensor, Int32Array]) => F.crossEntropy(net.forward(x), y);

/** Gradients computed by autograd.grad: the caller's own, never reused. */
function expectedGrads(net: my.nn.Sequential, b: [Tensor, Int32Array]): Float64Array[] {
  return my.autograd.grad(lossOf(net, b), [...net.parameters()]).map((g) => Float64Array.from(g.data));
}

const snapshot = (t: Tensor) => Float64Array.from(t.data);

for (const dtype of ['float32', 'float64'] as const) {
  describeBackends(`gradient storage reuse (${dtype})`, () => {
    it('zeroGrad hands a weight gradient back and the next backward writes into it, with the same values', () => {
      const net = makeNet(dtype);
      const opt = new my.optim.SGD(net.parameters(), { lr: 0 });
      const w = net.parameters()[0];
      lossOf(net, batch(dtype, 1)).backward();
      const held = w._grad!.data;
      const spare = spareBytes();
      opt.zeroGrad();
      expect(w._grad).toBeNull();
      expect(spareBytes()).toBeGreaterThanOrEqual(spare + held.byteLength);
      const b2 = batch(dtype, 2);
      lossOf(net, b2).backward();
      expect(w._grad!.data).toBe(held);
      const want = expectedGrads(net, b2);
      net.parameters().forEach((p, i) => expect(snapshot(p._grad!)).toEqual(want[i]));
    });

    it('a gradient read through .grad is the caller\'s: a later step never writes into it', () => {
      const net = makeNet(dtype);
      const w = net.parameters()[0];
      lossOf(net, batch(dtype, 1)).backward();
      const kept = w.grad!;
      const before = snapshot(kept);
      net.zeroGrad();
      lossOf(net, batch(dtype, 2)).backward();
      expect(w._grad!.data).not.toBe(kept.data);
      expect(snapshot(kept)).toEqual(before);
    });

    it('a gradient the caller assigned is never reused', () => {
      const net = makeNet(dtype);
      const w = net.parameters()[0];
      const mine = my.randn(w.shape, { dtype });
      const before = snapshot(mine);
      w.grad = mine;
      net.zeroGrad();
      for (let s = 1; s <= 3; s++) {
        lossOf(net, batch(dtype, s)).backward();
        net.zeroGrad();
      }
      expect(snapshot(mine)).toEqual(before);
    });

    it('autograd.grad results and createGraph gradients are never reused', () => {
      const net = makeNet(dtype);
      const w = net.parameters()[0];
      const [r] = my.autograd.grad(lossOf(net, batch(dtype, 1)), [w]);
      const rBefore = snapshot(r);
      w.grad = r;
      net.zeroGrad();
      lossOf(net, batch(dtype, 2)).backward(undefined, { createGraph: true });
      const graphGrad = w._grad!;
      const gBefore = snapshot(graphGrad);
      const spare = spareBytes();
      net.zeroGrad();
      expect(spareBytes()).toBe(spare);
      lossOf(net, batch(dtype, 3)).backward();
      expect(snapshot(r)).toEqual(rBefore);
      expect(snapshot(graphGrad)).toEqual(gBefore);
    });

    it('accumulating over two backward calls gives the sum and frees the summands', () => {
      const net = makeNet(dtype);
      const b1 = batch(dtype, 1), b2 = batch(dtype, 2);
      const g1 = expectedGrads(net, b1), g2 = expectedGrads(net, b2);
      const spare = spareBytes();
      lossOf(net, b1).backward();
      lossOf(net, b2).backward();
      const wBytes = net.parameters()[0].data.byteLength;
      expect(spareBytes()).toBeGreaterThanOrEqual(spare + 2 * wBytes);
      const tol = dtype === 'float64' ? 1e-12 : 1e-5;
      net.parameters().forEach((p, i) => {
        const got = snapshot(p._grad!);
        for (let j = 0; j < got.length; j++) expect(Math.abs(got[j] - (g1[i][j] + g2[i][j]))).toBeLessThanOrEqual(tol);
      });
    });

    it('a sum recorded in a graph (createGraph) keeps its summands', () => {
      const net = makeNet(dtype);
      lossOf(net, batch(dtype, 1)).backward();
      const w = net.parameters()[0];
      const first = w._grad!, before = snapshot(first);
      const spare = spareBytes();
      lossOf(net, batch(dtype, 2)).backward(undefined, { createGraph: true });
      expect(spareBytes()).toBeLessThanOrEqual(spare);
      lossOf(net, batch(dtype, 3)).backward();
      expect(snapshot(first)).toEqual(before);
    });

    it('training with reuse gives bit-identical weights to training where every gradient is read', () => {
      const train = (readGrads: boolean) => {
        const net = makeNet(dtype, 7);
        const opt = new my.optim.Adam(net.parameters(), { lr: 1e-2 });
        for (let s = 0; s < 6; s++) {
          opt.zeroGrad();
          lossOf(net, batch(dtype, 10 + s)).backward();
          if (readGrads) for (const p of net.parameters()) void p.grad;
          opt.step();
        }
        return net.parameters().map(snapshot);
      };
      const reused = train(false), fresh = train(true);
      reused.forEach((w, i) => expect(w).toEqual(fresh[i]));
    });

    it('assigning something other than a Tensor or null to .grad is an Error naming it', () => {
      const w = makeNet(dtype).parameters()[0];
      expect(() => { (w as { grad: unknown }).grad = [1, 2, 3]; }).toThrow(/grad: expected a Tensor or null, got 1,2,3/);
    });
  });
}

describeBackends('gradient storage reuse: bounded', () => {
  it('spares never pass 64 MiB: models that come and go do not pin their gradients', () => {
    // 3 MiB of weight gradient per model, 30 models of distinct shapes: 90 MiB released.
    for (let i = 0; i < 30; i++) {
      const lin = new my.nn.Linear(768 + i, 1024, { bias: false });
      my.nn.functional.linear(my.ones([1, 768 + i]), lin.weight).sum().backward();
      lin.zeroGrad();
      expect(spareBytes()).toBeLessThanOrEqual(64 * 1024 * 1024);
    }
    expect(spareBytes()).toBeGreaterThan(0);
    // The spares of models gone must not crowd out the one training now.
    const lin = new my.nn.Linear(900, 1024, { bias: false });
    const step = () => my.nn.functional.linear(my.ones([1, 900]), lin.weight).sum().backward();
    step();
    const held = lin.weight._grad!.data;
    lin.zeroGrad();
    step();
    expect(lin.weight._grad!.data).toBe(held);
  });
});
