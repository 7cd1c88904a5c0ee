import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import { describeBackends, expectClose } from '../helpers.js';

const F = my.nn.functional;

/** Linear regression on 8 points in 4 batches of 2 (no shuffling), counting training forwards. */
function setup(lr = 0.05) {
  my.manualSeed(5);
  const x = my.randn([8, 3]);
  const y = x.matmul(my.tensor([[1], [-2], [0.5]]));
  const model = new my.nn.Linear(3, 1);
  const optimizer = new my.optim.SGD(model.parameters(), { lr });
  return { model, optimizer, train: { x, y, batchSize: 2, shuffle: false }, loss: F.mseLoss, progress: false as const };
}

/** A metric whose value per epoch is scripted, to drive EarlyStopping exactly. */
function scripted(values: number[]): { metric: my.train.Metric; tracker: my.train.Callback } {
  let epoch = 0;
  return {
    metric: { name: 'score', fn: () => values[epoch] },
    tracker: { onEpochBegin: (e) => void (epoch = e) },
  };
}

describeBackends('train callbacks', () => {
  it('calls the hooks in order and awaits the ones that return promises', async () => {
    const events: string[] = [];
    const cb: my.train.Callback = {
      onTrainBegin: (ctx) => void events.push(`begin ${ctx.epochs}`),
      onEpochBegin: (e) => void events.push(`epoch ${e}`),
      onBatchEnd: (b, logs) => void events.push(`batch ${b} ${logs.size}`),
      onEpochEnd: async (e, logs) => {
        await new Promise((r) => setTimeout(r, 5));
        events.push(`end ${e} ${typeof logs.loss}`);
      },
      onTrainEnd: (ctx) => void events.push(`done ${ctx.history.epochs}`),
    };
    await my.train.fit(setup().model, { ...setup(), epochs: 2, callbacks: [cb] });
    expect(events).toEqual([
      'begin 2',
      'epoch 0', 'batch 0 2', 'batch 1 2', 'batch 2 2', 'batch 3 2', 'end 0 number',
      'epoch 1', 'batch 0 2', 'batch 1 2', 'batch 2 2', 'batch 3 2', 'end 1 number',
      'done 2',
    ]);
  });

  it('EarlyStopping stops after `patience` epochs without an improvement larger than minDelta', async () => {
    const { metric, tracker } = scripted([5, 4, 4.5, 3.9, 4.2, 4.1, 3.0, 2.0]);
    const stopper = new my.train.EarlyStopping({ monitor: 'score', patience: 2, minDelta: 0.05 });
    const h = await my.train.fit(setup().model, { ...setup(), epochs: 8, metrics: [metric], callbacks: [tracker, stopper] });
    expect(h.get('score')).toEqual([5, 4, 4.5, 3.9, 4.2, 4.1]);
    expect(h.stopped).toBe('earlyStopping');
    expect(stopper.bestEpoch).toBe(3);
    expect(stopper.stoppedEpoch).toBe(5);
    expect(stopper.best).toBe(3.9);
  });

  it('EarlyStopping with patience 0 stops at the first epoch that does not improve; mode max for accuracies', async () => {
    const { metric, tracker } = scripted([0.5, 0.6, 0.6, 0.9]);
    const renamed = { ...metric, name: 'accuracy' };
    const stopper = new my.train.EarlyStopping({ monitor: 'accuracy' });
    const h = await my.train.fit(setup().model, { ...setup(), epochs: 4, metrics: [renamed], callbacks: [tracker, stopper] });
    expect(h.accuracy).toEqual([0.5, 0.6, 0.6]);
    expect(stopper.bestEpoch).toBe(1);
  });

  it('restoreBestWeights puts back the weights of the best epoch', async () => {
    const { metric, tracker } = scripted([3, 1, 2, 2.5, 4]);
    const s = setup();
    const weights: my.Tensor[] = [];
    const snap: my.train.Callback = { onEpochEnd: () => void weights.push(s.model.weight.clone().detach()) };
    const stopper = new my.train.EarlyStopping({ monitor: 'score', patience: 3, restoreBestWeights: true });
    const h = await my.train.fit(s.model, { ...s, epochs: 5, metrics: [metric], callbacks: [tracker, snap, stopper] });
    expect(h.epochs).toBe(5);
    expect(weights[1].data).not.toEqual(weights[4].data);
    expectClose(s.model.weight, weights[1], { atol: 0 });
  });

  it('EarlyStopping names the missing figure and checks its options', async () => {
    const stopper = new my.train.EarlyStopping();
    await expect(my.train.fit(setup().model, { ...setup(), epochs: 2, callbacks: [stopper] }))
      .rejects.toThrow(/EarlyStopping: monitor 'valLoss' is not among the logged figures \(loss, lr, epochTime\)/);
    expect(() => new my.train.EarlyStopping({ patience: -1 })).toThrow(/patience must be an integer >= 0, got -1/);
    expect(() => new my.train.EarlyStopping({ mode: 'up' as any })).toThrow(/mode must be 'min', 'max' or 'auto', got 'up'/);
  });

  it('an AbortSignal stops after the current batch and fit resolves with the finished epochs', async () => {
    const s = setup();
    const controller = new AbortController();
    const batches: string[] = [];
    const cb: my.train.Callback = {
      onBatchEnd: (b, _l, ctx) => {
        batches.push(`${ctx.history.epochs}:${b}`);
        // Abort from outside fit, through the event loop, as a request handler would.
        if (ctx.history.epochs === 1 && b === 1) setImmediate(() => controller.abort());
      },
    };
    const h = await my.train.fit(s.model, { ...s, epochs: 5, signal: controller.signal, callbacks: [cb] });
    expect(h.stopped).toBe('aborted');
    expect(h.epochs).toBe(1);
    expect(batches).toEqual(['0:0', '0:1', '0:2', '0:3', '1:0', '1:1']);
  });

  it('an already aborted signal trains nothing', async () => {
    const s = setup();
    const before = s.model.weight.clone().detach();
    const h = await my.train.fit(s.model, { ...s, epochs: 3, signal: AbortSignal.abort() });
    expect(h.stopped).toBe('aborted');
    expect(h.epochs).toBe(0);
    expectClose(s.model.weight, before, { atol: 0 });
  });

  it('steps the scheduler once per epoch and records the rate each epoch used', async () => {
    const s = setup(0.1);
    const h = await my.train.fit(s.model, { ...s, epochs: 3, scheduler: new my.optim.lrScheduler.StepLR(s.optimizer, { stepSize: 1, gamma: 0.5 }) });
    expect(h.lr).toEqual([0.1, 0.05, 0.025]);
    expect(s.optimizer.paramGroups[0].lr).toBe(0.0125);
  });

  it('hands ReduceLROnPlateau the monitored figure', async () => {
    const { metric, tracker } = scripted([3, 2, 2, 2, 2, 2]);
    const s = setup(0.1);
    const scheduler = new my.optim.lrScheduler.ReduceLROnPlateau(s.optimizer, { patience: 1, factor: 0.5 });
    const h = await my.train.fit(s.model, { ...s, epochs: 6, metrics: [metric], callbacks: [tracker], scheduler, schedulerMonitor: 'score' });
    // No improvement from epoch 2 on: PyTorch halves the rate once bad epochs exceed patience
    // (after epochs 3 and 5), so epoch 4 is the first to run at 0.05.
    expect(h.lr).toEqual([0.1, 0.1, 0.1, 0.1, 0.05, 0.05]);
    expect(s.optimizer.paramGroups[0].lr).toBe(0.025);
    await expect(my.train.fit(s.model, { ...s, epochs: 1, scheduler, schedulerMonitor: 'valLoss' }))
      .rejects.toThrow(/fit: schedulerMonitor: monitor 'valLoss' is not among the logged figures \(loss, lr, epochTime\)/);
  });

  it('a callback can stop training through the context', async () => {
    const h = await my.train.fit(setup().model, { ...setup(), epochs: 5, callbacks: [{ onEpochEnd: (e, _l, ctx) => { if (e === 1) ctx.stop(); } }] });
    expect(h.epochs).toBe(2);
    expect(h.stopped).toBe('callback');
  });
});

describeBackends('train.ModelCheckpoint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'myelin-ckpt-'));

  it('saves the best epochs as safetensors that load back into the model', async () => {
    const { metric, tracker } = scripted([3, 2, 2.5, 1, 1.5]);
    const s = setup();
    const weights: my.Tensor[] = [];
    const snap: my.train.Callback = { onEpochEnd: () => void weights.push(s.model.weight.clone().detach()) };
    const ckpt = new my.train.ModelCheckpoint({ path: join(dir, 'best-{epoch}-{score}.safetensors'), monitor: 'score', saveBestOnly: true });
    await my.train.fit(s.model, { ...s, epochs: 5, metrics: [metric], callbacks: [tracker, snap, ckpt] });
    expect(ckpt.saved.map((p) => basename(p))).toEqual(['best-1-3.0000.safetensors', 'best-2-2.0000.safetensors', 'best-4-1.0000.safetensors']);
    const loaded = await my.load(ckpt.saved[2]);
    expect(Object.keys(loaded).sort()).toEqual(['bias', 'weight']);
    expectClose(loaded.weight, weights[3], { atol: 0 });
  });

  it('saves every epoch by default and names unknown template fields', async () => {
    const s = setup();
    const ckpt = new my.train.ModelCheckpoint({ path: join(dir, 'every.safetensors') });
    await my.train.fit(s.model, { ...s, epochs: 2, validation: s.train, callbacks: [ckpt] });
    expect(ckpt.saved).toHaveLength(2);
    expectClose((await my.load(ckpt.saved[1])).bias, s.model.bias!.detach(), { atol: 0 });
    const bad = new my.train.ModelCheckpoint({ path: join(dir, '{f1}.safetensors'), monitor: 'loss' });
    await expect(my.train.fit(s.model, { ...s, epochs: 1, callbacks: [bad] })).rejects.toThrow(/names \{f1\}, which is not logged \(loss, lr, epochTime\)/);
  });
});
