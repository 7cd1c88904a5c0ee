import type { EpochLogs } from './history.js';
import { Monitor } from './monitor.js';
import { ReduceLROnPlateau } from '../optim/schedulers/plateau.js';

/** A learning-rate scheduler as fit drives it, once per epoch: `step()`, or `step(value)` for ReduceLROnPlateau. */
export type SchedulerLike = { step(): void } | ReduceLROnPlateau;

/** Steps the scheduler at the end of an epoch, handing ReduceLROnPlateau the `monitor` figure. */
export function stepScheduler(scheduler: SchedulerLike, logs: EpochLogs, monitor: string): void {
  // ReduceLROnPlateau steps on a monitored value; the epoch-count schedulers take no argument.
  if (scheduler instanceof ReduceLROnPlateau) scheduler.step(new Monitor('fit: schedulerMonitor', monitor, 'auto', 0).read(logs));
  else scheduler.step();
}
