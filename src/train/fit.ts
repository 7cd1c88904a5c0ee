import { check } from '../check.js';
import { Module } from '../nn/module.js';
import { describe } from '../ops/util.js';
import { batchSource, type DataInput } from './batches.js';
import { runHook, type Callback, type OptimizerLike, type TrainContext } from './callback.js';
import { batchSize, checkBatch, EpochTotals, evaluateBatches, toLossFn, trainStep, yieldToEventLoop, type LossFn, type LossInput } from './epoch.js';
import { History, type EpochLogs, type StopReason } from './history.js';
import { resolveMetrics, validationName, type Metric } from './metrics.js';
import { createProgress, type ProgressOption } from './progress.js';
import { stepScheduler, type SchedulerLike } from './scheduler.js';

export interface FitOptions {
  /** A loss module (`new my.nn.CrossEntropyLoss()`) or function (`F.mseLoss`). */
  loss: LossInput;
  optimizer: OptimizerLike;
  /** A DataLoader, or `{ x, y, batchSize?, shuffle? }` (shuffled each epoch by default). */
  train: DataInput;
  /** Evaluated after every epoch in eval mode without a graph: `valLoss`, `valAccuracy`, ... */
  validation?: DataInput;
  epochs: number;
  /** `['accuracy']` or Metric objects. */
  metrics?: (string | Metric)[];
  callbacks?: Callback[];
  /** Stepped once per epoch; ReduceLROnPlateau receives `schedulerMonitor`'s value. */
  scheduler?: SchedulerLike;
  /** The figure ReduceLROnPlateau watches; default `'valLoss'` with validation data, else `'loss'`. */
  schedulerMonitor?: string;
  progress?: ProgressOption;
  /** Aborting stops training after the current batch; fit resolves with `stopped: 'aborted'`. */
  signal?: AbortSignal;
}

/**
 * Trains `model` for `epochs` epochs and resolves with the History, yielding to the event
 * loop after every batch so a server in the same process keeps answering:
 * `const h = await my.train.fit(model, { loss: new my.nn.CrossEntropyLoss(), optimizer, train: loader, epochs: 10, metrics: ['accuracy'] })`.
 */
export async function fit(model: Module, opts: FitOptions): Promise<History> {
  const run = checkFitOptions(model, opts);
  const { optimizer, epochs, callbacks, signal } = run;
  const history = new History();
  let stopReason: StopReason = signal?.aborted ? 'aborted' : null;
  const ctx: TrainContext = { model, optimizer, history, epochs, stop: (reason = 'callback') => void (stopReason ??= reason) };
  const shouldStop = (): boolean => {
    if (signal?.aborted) stopReason ??= 'aborted';
    return stopReason !== null;
  };
  const wasTraining = model.training;
  const progress = createProgress(opts.progress, epochs);
  try {
    await runHook(callbacks, 'onTrainBegin', ctx);
    for (let epoch = 0; epoch < epochs && !shouldStop(); epoch++) {
      await runHook(callbacks, 'onEpochBegin', epoch, ctx);
      const started = performance.now();
      const lr = optimizer.paramGroups[0]?.lr ?? NaN;
      model.train();
      progress.epochBegin(epoch, run.train.length);
      const totals = await trainEpoch(run, ctx, progress.batchEnd.bind(progress), shouldStop);
      if (totals === null) break;
      const validated = run.validation && (await evaluateBatches(model, run.validation, run.lossFn, run.metrics, shouldStop));
      if (validated === null) break;
      const logs: EpochLogs = { ...totals.means(), ...(validated ? validated.means(validationName) : {}), lr, epochTime: (performance.now() - started) / 1000 };
      history.record(logs);
      progress.epochEnd(epoch, logs);
      if (run.scheduler) stepScheduler(run.scheduler, logs, opts.schedulerMonitor ?? (run.validation ? 'valLoss' : 'loss'));
      await runHook(callbacks, 'onEpochEnd', epoch, logs, ctx);
    }
    shouldStop();
    history.stopped = stopReason;
    await runHook(callbacks, 'onTrainEnd', ctx);
  } finally {
    model.train(wasTraining);
    progress.end(stopReason ? `stopped after ${history.epochs} epochs: ${stopReason}` : undefined);
  }
  return history;
}

interface FitRun {
  lossFn: LossFn;
  optimizer: OptimizerLike;
  train: ReturnType<typeof batchSource>;
  validation: ReturnType<typeof batchSource> | undefined;
  epochs: number;
  metrics: Metric[];
  callbacks: Callback[];
  scheduler: SchedulerLike | undefined;
  signal: AbortSignal | undefined;
}

/** One pass over the training batches; null when a stop was requested before the epoch ended. */
async function trainEpoch(run: FitRun, ctx: TrainContext, report: (batch: number, loss: number, examples: number) => void,
  shouldStop: () => boolean): Promise<EpochTotals | null> {
  const totals = new EpochTotals(run.metrics);
  let index = 0;
  for (const batch of run.train.epoch()) {
    checkBatch(batch, index);
    const [x, y] = batch;
    const { loss, output } = trainStep(ctx.model, run.lossFn, run.optimizer, x, y);
    if (!Number.isFinite(loss)) {
      ctx.stop('nonFiniteLoss');
      return null;
    }
    const size = batchSize(x);
    totals.add(loss, output, y, size);
    report(index, loss, size);
    await runHook(run.callbacks, 'onBatchEnd', index, { loss, size }, ctx);
    index++;
    await yieldToEventLoop();
    if (shouldStop()) return null;
  }
  check(index > 0, () => 'fit: the training data produced no batches');
  return totals;
}

function checkFitOptions(model: Module, opts: FitOptions): FitRun {
  check(model instanceof Module, () => `fit: model must be a my.nn.Module, got ${describe(model)}`);
  check(opts !== null && typeof opts === 'object', () => `fit: expected an options object { loss, optimizer, train, epochs }, got ${String(opts)}`);
  const { loss, optimizer, epochs, callbacks = [], signal } = opts;
  check(optimizer !== null && typeof optimizer === 'object' && typeof optimizer.step === 'function' && typeof optimizer.zeroGrad === 'function',
    () => `fit: optimizer must be a my.optim optimizer, got ${describe(optimizer)}`);
  check(Number.isInteger(epochs) && epochs >= 1, () => `fit: epochs must be a positive integer, got ${String(epochs)}`);
  check(Array.isArray(callbacks) && callbacks.every((c) => c !== null && typeof c === 'object'), () => `fit: callbacks must be an array of objects`);
  check(signal === undefined || signal instanceof AbortSignal, () => `fit: signal must be an AbortSignal, got ${describe(signal)}`);
  check(opts.scheduler === undefined || typeof opts.scheduler?.step === 'function', () => `fit: scheduler must have a step() method, got ${describe(opts.scheduler)}`);
  check(opts.train !== undefined, () => 'fit: train data is required: a DataLoader or { x, y, batchSize? }');
  const lossFn = toLossFn('fit', loss);
  return {
    lossFn, optimizer, epochs, callbacks, signal,
    train: batchSource('train', opts.train, true),
    validation: opts.validation === undefined ? undefined : batchSource('validation', opts.validation, false),
    metrics: resolveMetrics(opts.metrics),
    scheduler: opts.scheduler,
  };
}
