import { Tensor } from '../../tensor.js';
import { check } from '../../check.js';
import type { AnyOptimizer } from '../optimizer.js';
import { checkOption } from '../options.js';
import { checkOptimizer } from './scheduler.js';

export interface ReduceLROnPlateauOptions {
  /** 'min': the metric should fall (a loss); 'max': it should rise (an accuracy). */
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  cooldown?: number;
  minLr?: number | number[];
  /** Reductions smaller than this are skipped. */
  eps?: number;
}

/**
 * Multiplies the rates by `factor` when the metric has not improved (by more than
 * `threshold`) for more than `patience` epochs, then waits `cooldown` epochs, as PyTorch's
 * ReduceLROnPlateau: `sched.step(valLoss)` once per epoch.
 */
export class ReduceLROnPlateau {
  readonly optimizer: AnyOptimizer;
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLrs: number[];
  readonly eps: number;
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  private lastLr: number[];

  constructor(optimizer: AnyOptimizer, opts: ReduceLROnPlateauOptions = {}) {
    this.optimizer = checkOptimizer('ReduceLROnPlateau', optimizer);
    const { mode = 'min', factor = 0.1, patience = 10, threshold = 1e-4, thresholdMode = 'rel', cooldown = 0, minLr = 0, eps = 1e-8 } = opts;
    check(mode === 'min' || mode === 'max', () => `ReduceLROnPlateau: mode must be 'min' or 'max', got ${String(mode)}`);
    check(thresholdMode === 'rel' || thresholdMode === 'abs', () => `ReduceLROnPlateau: thresholdMode must be 'rel' or 'abs', got ${String(thresholdMode)}`);
    check(typeof factor === 'number' && factor >= 0 && factor < 1, () => `ReduceLROnPlateau: factor must be in [0, 1), got ${String(factor)}`);
    check(Number.isInteger(patience) && patience >= 0, () => `ReduceLROnPlateau: patience must be an integer >= 0, got ${String(patience)}`);
    check(Number.isInteger(cooldown) && cooldown >= 0, () => `ReduceLROnPlateau: cooldown must be an integer >= 0, got ${String(cooldown)}`);
    checkOption('ReduceLROnPlateau: threshold', threshold);
    checkOption('ReduceLROnPlateau: eps', eps);
    const groups = optimizer.paramGroups.length;
    const minLrs = Array.isArray(minLr) ? minLr.slice() : new Array<number>(groups).fill(minLr);
    check(minLrs.length === groups, () => `ReduceLROnPlateau: expected ${groups} minLr values (one per parameter group), got ${minLrs.length}`);
    minLrs.forEach((v, i) => checkOption(`ReduceLROnPlateau: minLr[${i}]`, v));
    this.mode = mode;
    this.factor = factor;
    this.patience = patience;
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
    this.cooldown = cooldown;
    this.eps = eps;
    this.minLrs = minLrs;
    this.best = mode === 'min' ? Infinity : -Infinity;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  /** Records this epoch's metric (a number or one-element tensor) and lowers the rates if it stalled. */
  step(metric: number | Tensor): void {
    const current = metric instanceof Tensor ? metric.item() : metric;
    check(typeof current === 'number' && !Number.isNaN(current), () =>
      `ReduceLROnPlateau.step: expected the metric as a number or one-element tensor, got ${String(metric)}`);
    this.lastEpoch++;
    if (this.isBetter(current)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else this.numBadEpochs++;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0; // bad epochs during the cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduce();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The groups' rates after the last step, one per parameter group. */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  private isBetter(a: number): boolean {
    const { best, threshold } = this;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    return this.thresholdMode === 'rel' ? a > best * (threshold + 1) : a > best + threshold;
  }

  private reduce(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const next = Math.max(g.lr * this.factor, this.minLrs[i]);
      if (g.lr - next > this.eps) g.lr = next;
    });
  }
}
