import { check } from '../check.js';
import type { EpochLogs } from './history.js';

export type MonitorMode = 'min' | 'max' | 'auto';

/**
 * Tracks the best value of one logged figure (`valLoss`, `valAccuracy`, ...), shared by
 * EarlyStopping and ModelCheckpoint. `'auto'` maximises accuracies and minimises the rest,
 * as Keras does.
 */
export class Monitor {
  readonly mode: 'min' | 'max';
  best: number;

  constructor(readonly owner: string, readonly name: string, mode: MonitorMode, readonly minDelta: number) {
    check(typeof name === 'string' && name.length > 0, () => `${owner}: monitor must name a logged figure such as 'valLoss', got ${String(name)}`);
    check(mode === 'min' || mode === 'max' || mode === 'auto', () => `${owner}: mode must be 'min', 'max' or 'auto', got '${String(mode)}'`);
    check(typeof minDelta === 'number' && minDelta >= 0 && Number.isFinite(minDelta), () => `${owner}: minDelta must be a finite number >= 0, got ${String(minDelta)}`);
    this.mode = mode === 'auto' ? (/acc/i.test(name) ? 'max' : 'min') : mode;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  /** The monitored value in this epoch's logs; an Error lists what was logged when it is missing. */
  read(logs: EpochLogs): number {
    const value = logs[this.name];
    check(typeof value === 'number', () =>
      `${this.owner}: monitor '${this.name}' is not among the logged figures (${Object.keys(logs).join(', ')}); ` +
        `monitoring a 'val' figure needs validation data`);
    return value;
  }

  /** Whether `value` beats the best by more than minDelta; if so it becomes the best. NaN never improves. */
  update(value: number): boolean {
    const better = this.mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta;
    if (better) this.best = value;
    return better;
  }

  reset(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }
}
