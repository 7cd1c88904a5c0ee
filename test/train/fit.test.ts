import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import { describeBackends, expectClose } from '../helpers.js';

const F = my.nn.functional;

/** y = 3x - 1 on 8 points, and a Linear(1, 1) starting at w = 0.5, b = 0. */
function lineProblem() {
  const xs = [-1, -0.75, -0.5, -0.25, 0.25, 0.5, 0.75, 1];
  const x = my.tensor(xs.map((v) => [v]), { dtype: 'float64' });
  const y = my.tensor(xs.map((v) => [3 * v - 1]), { dtype: 'float64' });
  const model = new my.nn.Linear(1, 1, { dtype: 'float64' });
  my.noGrad(() => {
    model.weight.fill_(0.5);
    model.bias!.fill_(0);
  });
  return { xs, x, y, model };
}

describeBackends('train.fit', () => {
  it('full-batch gradient descent follows the closed-form update and records loss, lr and time', async () => {
    const { xs, x, y, model } = lineProblem();
    const lr = 0.1;
    const h = await my.train.fit(model, {
      loss: F.mseLoss, optimizer: new my.optim.SGD(model.parameters(), { lr }), train: { x, y, batchSize: 8 }, epochs: 3, progress: false,
    });
    // Replay by hand: L = mean((w x + b - t)^2), dL/dw = 2 mean(x r), dL/db = 2 mean(r).
    let w = 0.5, b = 0;
    const losses: number[] = [];
    for (let e = 0; e < 3; e++) {
      const r = xs.map((v) => w * v + b - (3 * v - 1));
      losses.push(r.reduce((s, ri) => s + ri * ri, 0) / 8);
      const gw = (2 * r.reduce((s, ri, i) => s + ri * xs[i], 0)) / 8, gb = (2 * r.reduce((s, ri) => s + ri, 0)) / 8;
      w -= lr * gw;
      b -= lr * gb;
    }
    expectClose(my.tensor(h.loss, { dtype: 'float64' }), losses, { atol: 1e-12, rtol: 1e-12 });
    expect(h.lr).toEqual([lr, lr, lr]);
    expect(h.epochTime.every((t) => t >= 0 && t < 10)).toBe(true);
    expect(h.epochs).toBe(3);
    expect(h.stopped).toBeNull();
    expect(h.valLoss).toEqual([]);
    expectClose(model.weight, [[w]], { atol: 1e-12 });
    expectClose(model.bias!, [b], { atol: 1e-12 });
  });

  it('the epoch loss is the example-weighted mean of batch losses (last batch smaller)', async () => {
    const { x, y, model } = lineProblem();
    const batchLosses: { loss: number; size: number }[] = [];
    const h = await my.train.fit(model, {
      loss: new my.nn.MSELoss(), optimizer: new my.optim.SGD(model.parameters(), { lr: 0 }), train: { x, y, batchSize: 3, shuffle: false },
      epochs: 1, progress: false, callbacks: [{ onBatchEnd: (_i, logs) => void batchLosses.push(logs) }],
    });
    expect(batchLosses.map((b) => b.size)).toEqual([3, 3, 2]);
    // lr = 0 leaves the model unchanged, so the epoch loss is the full-data MSE.
    const full = F.mseLoss(model.forward(x), y).item();
    expect(h.loss[0]).toBeCloseTo(full, 12);
    expect(h.loss[0]).toBeCloseTo(batchLosses.reduce((s, b) => s + b.loss * b.size, 0) / 8, 12);
  });

  it('validation runs in eval mode without a graph and logs valLoss and valAccuracy', async () => {
    const seen: { training: boolean; grad: boolean }[] = [];
    class Probe extends my.nn.Module {
      lin = new my.nn.Linear(2, 2);
      forward(x: my.Tensor): my.Tensor {
        const out = this.lin.forward(x);
        seen.push({ training: this.training, grad: out.requiresGrad });
        return out;
      }
    }
    my.manualSeed(3);
    const model = new Probe();
    const x = my.tensor([[1, 0], [0, 1], [1, 1], [0, 0]]);
    const labels = [0, 1, 1, 0];
    const h = await my.train.fit(model, {
      loss: F.crossEntropy, optimizer: new my.optim.SGD(model.parameters(), { lr: 0.1 }), train: { x, y: labels, batchSize: 4 },
      validation: { x, y: new Int32Array(labels), batchSize: 2 }, epochs: 2, metrics: ['accuracy'], progress: false,
    });
    // Per epoch: one training batch (train mode, graph) then two validation batches (eval, no graph).
    expect(seen).toEqual([true, false, false, true, false, false].map((t) => ({ training: t, grad: t })));
    expect(model.training).toBe(true);
    const after = await my.train.evaluate(model, { x, y: labels }, { loss: F.crossEntropy, metrics: ['accuracy'] });
    expect(h.valLoss[1]).toBeCloseTo(after.loss, 6);
    expect(h.valAccuracy![1]).toBeCloseTo(after.accuracy, 12);
    expect(h.series).toEqual(['loss', 'valLoss', 'lr', 'epochTime', 'accuracy', 'valAccuracy']);
  });

  it('shuffles each epoch reproducibly under manualSeed and visits every example once', async () => {
    const run = async () => {
      my.manualSeed(11);
      const { x, y, model } = lineProblem();
      const order: number[] = [];
      const recorder: my.train.Metric = { name: 'firstX', fn: (_o, t) => (order.push(...(t as my.Tensor).data), 0) };
      const h = await my.train.fit(model, {
        loss: F.mseLoss, optimizer: new my.optim.SGD(model.parameters(), { lr: 0.05 }), train: { x, y, batchSize: 2 }, epochs: 2,
        metrics: [recorder], progress: false,
      });
      return { order, loss: h.loss };
    };
    const a = await run(), b = await run();
    expect(a).toEqual(b);
    const targets = [-1, -0.75, -0.5, -0.25, 0.25, 0.5, 0.75, 1].map((v) => 3 * v - 1);
    expect([...a.order.slice(0, 8)].sort((p, q) => p - q)).toEqual(targets);
    expect(a.order.slice(0, 8)).not.toEqual(targets);
    expect(a.order.slice(0, 8)).not.toEqual(a.order.slice(8));
  });

  it('accepts any re-iterable of [x, y] batches as a DataLoader', async () => {
    const { x, y, model } = lineProblem();
    const batches = [[x.narrow(0, 0, 4), y.narrow(0, 0, 4)], [x.narrow(0, 4, 4), y.narrow(0, 4, 4)]] as const;
    const h = await my.train.fit(model, {
      loss: F.mseLoss, optimizer: new my.optim.SGD(model.parameters(), { lr: 0 }), train: batches, epochs: 2, progress: false,
    });
    expect(h.loss[0]).toBeCloseTo(F.mseLoss(model.forward(x), y).item(), 12);
    expect(h.loss[1]).toBe(h.loss[0]);
  });

  it('trains from a my.data.DataLoader exactly as from the same arrays', async () => {
    const x = my.tensor([[1, 0], [0, 1], [1, 1], [0, 0], [2, 1], [1, 2], [0, 2]]);
    const labels = new Int32Array([0, 1, 1, 0, 0, 1, 1]);
    const run = async (train: my.train.DataInput) => {
      my.manualSeed(4);
      const model = new my.nn.Linear(2, 2);
      let batches = 0;
      const h = await my.train.fit(model, {
        loss: F.crossEntropy, optimizer: new my.optim.SGD(model.parameters(), { lr: 0.5 }), train, epochs: 3, progress: false,
        metrics: ['accuracy'], callbacks: [{ onBatchEnd: () => void batches++ }],
      });
      return { loss: h.loss, accuracy: h.accuracy, batches };
    };
    const loader = new my.data.DataLoader(new my.data.TensorDataset(x, labels), { batchSize: 3 });
    const fromLoader = await run(loader);
    expect(fromLoader.batches).toBe(3 * loader.length);
    expect(fromLoader).toEqual(await run({ x, y: labels, batchSize: 3, shuffle: false }));
  });

  it('stops with stopped = nonFiniteLoss when the loss overflows', async () => {
    const { x, y, model } = lineProblem();
    const h = await my.train.fit(model, {
      loss: F.mseLoss, optimizer: new my.optim.SGD(model.parameters(), { lr: 1e6 }), train: { x, y, batchSize: 8 }, epochs: 50, progress: false,
    });
    expect(h.stopped).toBe('nonFiniteLoss');
    expect(h.epochs).toBeLessThan(50);
    expect(h.loss.every(Number.isFinite)).toBe(true);
  });

  it('refuses bad input with errors naming what is wrong', async () => {
    const { x, y, model } = lineProblem();
    const optimizer = new my.optim.SGD(model.parameters(), { lr: 0.1 });
    const base = { loss: F.mseLoss, optimizer, epochs: 1, progress: false as const };
    await expect(my.train.fit(model, { ...base, train: { x, y: y.narrow(0, 0, 5) } })).rejects.toThrow(/train\.x \[8,1\] has 8 examples but train\.y \[5,1\] has 5/);
    await expect(my.train.fit(model, { ...base, train: { x, y }, epochs: 0 })).rejects.toThrow(/epochs must be a positive integer, got 0/);
    await expect(my.train.fit(model, { ...base, train: { x, y, batchSize: 0 } })).rejects.toThrow(/train\.batchSize must be a positive integer/);
    await expect(my.train.fit(model, { ...base, loss: 'mse' as any, train: { x, y } })).rejects.toThrow(/fit: loss must be a loss module/);
    await expect(my.train.fit({} as any, { ...base, train: { x, y } })).rejects.toThrow(/fit: model must be a my.nn.Module/);
    await expect(my.train.fit(model, { ...base, train: { x, y }, metrics: ['f1'] })).rejects.toThrow(/metrics\[0\] must be 'accuracy'/);
    function* once() { yield [x, y] as const; }
    await expect(my.train.fit(model, { ...base, train: once() })).rejects.toThrow(/one-shot iterator/);
    await expect(my.train.fit(model, { ...base, loss: (o: my.Tensor, t: my.Tensor) => F.mseLoss(o, t, { reduction: 'none' }), train: { x, y } }))
      .rejects.toThrow(/one-element Tensor .* got \[8,1\]/);
    await expect(my.train.fit(model, { ...base, loss: F.crossEntropy, train: { x: my.zeros([2, 1], { dtype: 'float64' }), y: [0, 5], shuffle: false } })).rejects.toThrow(/target 5 at position 1 is out of range/);
    // A failure mid-training leaves the model in the mode it had.
    expect(model.training).toBe(true);
  });
});
