import { check } from '../check.js';
import { noGrad } from '../autograd/mode.js';
import type { Tensor } from '../tensor.js';
import type { Callback, TrainContext } from './callback.js';
import type { EpochLogs } from './history.js';
import { Monitor, type MonitorMode } from './monitor.js';

export interface EarlyStoppingOptions {
  /** The logged figure to watch; default `'valLoss'`. */
  monitor?: string;
  /** Epochs without improvement before stopping; default 0. */
  patience?: number;
  /** The least change that counts as an improvement; default 0. */
  minDelta?: number;
  /** Default `'auto'`: maximise names containing "acc", minimise the rest. */
  mode?: MonitorMode;
  /** When training ends, put back the weights of the best epoch; default false. */
  restoreBestWeights?: boolean;
}

/**
 * Stops `fit` once the monitored figure has not improved for `patience` epochs, as Keras's
 * EarlyStopping does: `new my.train.EarlyStopping({ monitor: 'valLoss', patience: 5, restoreBestWeights: true })`.
 */
export class EarlyStopping implements Callback {
  readonly patience: number;
  readonly restoreBestWeights: boolean;
  private readonly monitor: Monitor;
  private wait = 0;
  private bestWeights: Record<string, Tensor> | null = null;
  /** The epoch (from 0) with the best monitored value so far, or -1. */
  bestEpoch = -1;
  /** The epoch at which training was stopped, or -1 if it was not. */
  stoppedEpoch = -1;

  constructor(opts: EarlyStoppingOptions = {}) {
    check(opts !== null && typeof opts === 'object', () => `EarlyStopping: expected an options object, got ${String(opts)}`);
    this.patience = opts.patience ?? 0;
    check(Number.isInteger(this.patience) && this.patience >= 0, () => `EarlyStopping: patience must be an integer >= 0, got ${String(opts.patience)}`);
    this.restoreBestWeights = opts.restoreBestWeights ?? false;
    this.monitor = new Monitor('EarlyStopping', opts.monitor ?? 'valLoss', opts.mode ?? 'auto', opts.minDelta ?? 0);
  }

  /** The best monitored value so far. */
  get best(): number {
    return this.monitor.best;
  }

  onTrainBegin(): void {
    this.monitor.reset();
    this.wait = 0;
    this.bestWeights = null;
    this.bestEpoch = this.stoppedEpoch = -1;
  }

  onEpochEnd(epoch: number, logs: EpochLogs, ctx: TrainContext): void {
    if (this.monitor.update(this.monitor.read(logs))) {
      this.wait = 0;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = snapshot(ctx.model.stateDict());
      return;
    }
    this.wait++;
    if (this.wait >= this.patience) {
      this.stoppedEpoch = epoch;
      ctx.stop('earlyStopping');
    }
  }

  onTrainEnd(ctx: TrainContext): void {
    // Restore whenever a later epoch was worse than the best, including after an abort.
    if (this.bestWeights !== null && this.bestEpoch !== ctx.history.epochs - 1) ctx.model.loadStateDict(this.bestWeights);
  }
}

/** Copies of the state dict's tensors (the state dict shares storage with the model). */
function snapshot(sd: Record<string, Tensor>): Record<string, Tensor> {
  return noGrad(() => Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, t.clone()])));
}
