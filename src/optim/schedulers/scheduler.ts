import { check } from '../../check.js';
import { Optimizer, type AnyOptimizer } from '../optimizer.js';

/** Checks the scheduler was given an optimizer; returns it typed. */
export function checkOptimizer(name: string, optimizer: unknown): AnyOptimizer {
  check(optimizer instanceof Optimizer, () => `${name}: expected an optimizer (my.optim.SGD, Adam, ...), got ${String(optimizer)}`);
  return optimizer;
}

/**
 * Base of the epoch-driven schedulers. As in PyTorch, construction counts as the first
 * step (epoch 0, learning rates unchanged), and each `step()` moves to the next epoch and
 * writes the new rates into the optimizer's parameter groups. The rules are PyTorch's
 * recursive ("chainable") forms, computed from the groups' current rates.
 */
export abstract class LRScheduler {
  readonly optimizer: AnyOptimizer;
  /** The rates the groups had when the scheduler was created. */
  readonly baseLrs: readonly number[];
  /** The epoch the current rates belong to (0 after construction). */
  lastEpoch = -1;
  private lastLr: number[] = [];

  protected constructor(name: string, optimizer: AnyOptimizer) {
    this.optimizer = checkOptimizer(name, optimizer);
    this.baseLrs = optimizer.paramGroups.map((g) => g.lr);
  }

  /** Subclasses call this at the end of their constructor: epoch 0. */
  protected start(): void {
    this.step();
  }

  /** Moves to the next epoch: `scheduler.step()` once per epoch, after the optimizer's steps. */
  step(): void {
    this.lastEpoch++;
    const lrs = this.computeLr(this.optimizer.paramGroups.map((g) => g.lr));
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = lrs[i]));
    this.lastLr = lrs;
  }

  /** The rates the last step set, one per parameter group: `scheduler.getLastLr()[0]`. */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** The rates for epoch `lastEpoch`, given the groups' current ones. */
  protected abstract computeLr(current: number[]): number[];
}
