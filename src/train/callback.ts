import type { Module } from '../nn/module.js';
import type { EpochLogs, History, StopReason } from './history.js';

/** What a callback sees of the running `fit`. */
export interface TrainContext {
  readonly model: Module;
  readonly optimizer: OptimizerLike;
  readonly history: History;
  /** The number of epochs `fit` was asked for. */
  readonly epochs: number;
  /** Asks `fit` to stop after the current batch; the first reason given is kept. */
  stop(reason?: Exclude<StopReason, null>): void;
}

/** The part of an optimizer `fit` uses (every `my.optim` optimizer has it). */
export interface OptimizerLike {
  zeroGrad(): void;
  step(): void;
  paramGroups: { lr: number }[];
}

/** One batch's figures for `onBatchEnd`: its mean loss and its number of examples. */
export interface BatchLogs {
  loss: number;
  size: number;
}

/**
 * Hooks into `fit`; every method is optional and may return a promise, which `fit` awaits:
 * `{ onEpochEnd: (epoch, logs) => console.log(epoch, logs.valLoss) }`. Epochs and batches
 * count from 0.
 */
export interface Callback {
  onTrainBegin?(ctx: TrainContext): void | Promise<void>;
  onEpochBegin?(epoch: number, ctx: TrainContext): void | Promise<void>;
  onBatchEnd?(batch: number, logs: BatchLogs, ctx: TrainContext): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: EpochLogs, ctx: TrainContext): void | Promise<void>;
  onTrainEnd?(ctx: TrainContext): void | Promise<void>;
}

type Hook = keyof Callback;
type HookArgs<H extends Hook> = Parameters<NonNullable<Callback[H]>>;

/** Calls `hook` on each callback in order, awaiting only those that return a promise. */
export async function runHook<H extends Hook>(callbacks: readonly Callback[], hook: H, ...args: HookArgs<H>): Promise<void> {
  for (const cb of callbacks) {
    const fn = cb[hook] as ((...a: HookArgs<H>) => void | Promise<void>) | undefined;
    if (fn === undefined) continue;
    const result = fn.apply(cb, args);
    if (result !== undefined && typeof (result as Promise<void>).then === 'function') await result;
  }
}
