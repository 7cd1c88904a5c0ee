import { Tensor } from '../tensor.js';
import { check, fmtShape } from '../check.js';
import { noGrad } from '../autograd/mode.js';
import { Module } from '../nn/module.js';
import { describe } from '../ops/util.js';
import type { Batch, BatchSource, Labels } from './batches.js';
import type { Metric } from './metrics.js';
import type { OptimizerLike } from './callback.js';

/** A loss as a module (`new my.nn.CrossEntropyLoss()`) or a function (`F.crossEntropy`). */
export type LossInput = Module | ((output: Tensor, target: any) => Tensor);
export type LossFn = (output: Tensor, target: Labels) => Tensor;

/** Checks a loss input and returns it as a function, naming `fn` on bad input. */
export function toLossFn(fn: string, loss: unknown): LossFn {
  check(loss instanceof Module || typeof loss === 'function', () =>
    `${fn}: loss must be a loss module (new my.nn.CrossEntropyLoss()) or a function (output, target) => Tensor, got ${describe(loss)}`);
  return loss instanceof Module ? (o, t) => loss.forward(o, t) : (loss as LossFn);
}

/** Gives the event loop a turn: timers, I/O and incoming requests run before the next batch. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Example-weighted running means of the loss and each metric over an epoch. */
export class EpochTotals {
  private examples = 0;
  private loss = 0;
  private readonly sums: number[];

  constructor(private readonly metrics: readonly Metric[]) {
    this.sums = metrics.map(() => 0);
  }

  add(loss: number, output: Tensor, target: Labels, size: number): void {
    this.examples += size;
    this.loss += loss * size;
    this.metrics.forEach((m, i) => (this.sums[i] += m.fn(output, target) * size));
  }

  /** `{ loss, accuracy, ... }`, names prefixed as `valLoss`, `valAccuracy` by `rename`. */
  means(rename: (name: string) => string = (n) => n): Record<string, number> {
    const out: Record<string, number> = { [rename('loss')]: this.loss / this.examples };
    this.metrics.forEach((m, i) => (out[rename(m.name)] = this.sums[i] / this.examples));
    return out;
  }
}

/** The loss of one batch as a number, checked to be a one-element tensor. */
export function computeLoss(lossFn: LossFn, output: Tensor, target: Labels): Tensor {
  const loss = lossFn(output, target);
  check(loss instanceof Tensor && loss.size === 1, () =>
    `fit: the loss must return a one-element Tensor (reduction 'mean' or 'sum'), got ${loss instanceof Tensor ? fmtShape(loss.shape) : describe(loss)}`);
  return loss;
}

/** Checks a batch from a DataLoader or custom iterable is [x, y]. */
export function checkBatch(batch: Batch, index: number): void {
  check(Array.isArray(batch) && batch.length >= 2 && batch[0] instanceof Tensor, () =>
    `fit: batch ${index} must be [x, y] with x a Tensor, got ${describe(batch)}`);
}

/** Examples in a batch: the first dimension of its inputs. */
export function batchSize(x: Tensor): number {
  return x.ndim === 0 ? 1 : x.shape[0];
}

/** One optimisation step on one batch; returns the batch loss and the (pre-step) output. */
export function trainStep(model: Module, lossFn: LossFn, optimizer: OptimizerLike, x: Tensor, y: Labels): { loss: number; output: Tensor } {
  optimizer.zeroGrad();
  const output = model.forward(x);
  const loss = computeLoss(lossFn, output, y);
  loss.backward();
  optimizer.step();
  return { loss: loss.item(), output };
}

/**
 * The mean loss and metrics of `model` over `data` in eval mode without recording a graph,
 * yielding between batches; null if `shouldStop` turns true on the way. Restores the
 * model's training flag.
 */
export async function evaluateBatches(model: Module, data: BatchSource, lossFn: LossFn, metrics: readonly Metric[],
  shouldStop: () => boolean = () => false): Promise<EpochTotals | null> {
  const wasTraining = model.training;
  model.eval();
  try {
    const totals = new EpochTotals(metrics);
    let index = 0;
    for (const batch of data.epoch()) {
      checkBatch(batch, index++);
      const [x, y] = batch;
      const [loss, output] = noGrad(() => {
        const out = model.forward(x);
        return [computeLoss(lossFn, out, y).item(), out] as const;
      });
      totals.add(loss, output, y, batchSize(x));
      await yieldToEventLoop();
      if (shouldStop()) return null;
    }
    check(index > 0, () => 'fit: the validation data produced no batches');
    return totals;
  } finally {
    model.train(wasTraining);
  }
}
