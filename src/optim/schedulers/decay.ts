import type { AnyOptimizer } from '../optimizer.js';
import { checkOption } from '../options.js';
import { check } from '../../check.js';
import { LRScheduler } from './scheduler.js';

/** Multiplies the rates by `gamma` every `stepSize` epochs: `new StepLR(opt, { stepSize: 30, gamma: 0.1 })`. */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: AnyOptimizer, opts: { stepSize: number; gamma?: number }) {
    super('StepLR', optimizer);
    const { stepSize, gamma = 0.1 } = opts ?? ({} as { stepSize: number });
    check(Number.isInteger(stepSize) && stepSize >= 1, () => `StepLR: stepSize must be an integer >= 1, got ${String(stepSize)}`);
    checkOption('StepLR: gamma', gamma);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.start();
  }

  protected computeLr(current: number[]): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return current;
    return current.map((lr) => lr * this.gamma);
  }
}

/** Multiplies the rates by `gamma` every epoch: `new ExponentialLR(opt, { gamma: 0.95 })`. */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;

  constructor(optimizer: AnyOptimizer, opts: { gamma: number }) {
    super('ExponentialLR', optimizer);
    checkOption('ExponentialLR: gamma', opts?.gamma);
    this.gamma = opts.gamma;
    this.start();
  }

  protected computeLr(current: number[]): number[] {
    return this.lastEpoch === 0 ? current : current.map((lr) => lr * this.gamma);
  }
}
