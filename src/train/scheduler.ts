import type { EpochLogs } from './history.js';
import { Monitor } from './monitor.js';

/** A learning-rate scheduler as fit drives it: `step()` once per epoch. */
export interface SchedulerLike {
  step(metric?: number): void;
}

/** ReduceLROnPlateau steps on a monitored value; the epoch-count schedulers take no argument. */
function wantsMetric(scheduler: SchedulerLike): boolean {
  return scheduler.constructor?.name === 'ReduceLROnPlateau';
}

/** Steps the scheduler at the end of an epoch, handing ReduceLROnPlateau the `monitor` figure. */
export function stepScheduler(scheduler: SchedulerLike, logs: EpochLogs, monitor: string): void {
  if (wantsMetric(scheduler)) scheduler.step(new Monitor('fit: schedulerMonitor', monitor, 'auto', 0).read(logs));
  else scheduler.step();
}
