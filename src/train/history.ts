import { check } from '../check.js';

/** Why `fit` ended before its last epoch, or null when it ran them all. */
export type StopReason = 'aborted' | 'earlyStopping' | 'callback' | 'nonFiniteLoss' | null;

/** One epoch's figures as callbacks see them: `{ loss, valLoss, accuracy, valAccuracy, lr, epochTime }`. */
export type EpochLogs = Record<string, number>;

// Names a series may not take because History already uses them for something else.
const RESERVED = new Set(['epochs', 'stopped', 'series', 'record', 'get', 'last', 'toJSON', 'constructor']);

/**
 * What `fit` returns: one array per figure, one entry per completed epoch, as Keras's
 * History does. `loss`, `lr` and `epochTime` (seconds) are always there; `valLoss` and
 * `val`-prefixed metrics (`valAccuracy`) with validation data; every metric (`accuracy`)
 * is also an own property: `history.valAccuracy.at(-1)`.
 */
export class History {
  loss: number[] = [];
  valLoss: number[] = [];
  lr: number[] = [];
  epochTime: number[] = [];
  accuracy?: number[];
  valAccuracy?: number[];
  /** Why training ended early (`'aborted'`, `'earlyStopping'`, ...), or null. */
  stopped: StopReason = null;
  [series: string]: unknown;

  /** Completed epochs. */
  get epochs(): number {
    return this.loss.length;
  }

  /** Names of every recorded series, in the order they first appeared. */
  get series(): string[] {
    return Object.keys(this).filter((k) => Array.isArray(this[k]));
  }

  /** Appends one epoch's figures; a series first seen late is padded with NaN for earlier epochs. */
  record(logs: EpochLogs): void {
    const epoch = this.epochs;
    for (const [name, value] of Object.entries(logs)) {
      check(!RESERVED.has(name), () => `History: '${name}' is reserved and cannot name a metric`);
      let values = this[name] as number[] | undefined;
      if (!Array.isArray(values)) this[name] = values = new Array<number>(epoch).fill(NaN);
      values.push(value);
    }
    // Keep every started series as long as `loss` even if an epoch lacked it; a series never
    // recorded (valLoss without validation data) stays empty.
    for (const name of this.series) {
      const values = this[name] as number[];
      while (values.length > 0 && values.length < this.epochs) values.push(NaN);
    }
  }

  /** One series by name: `history.get('valAccuracy')`. */
  get(name: string): number[] {
    const values = this[name];
    check(Array.isArray(values), () => `History.get: no series '${name}'; recorded: ${this.series.join(', ')}`);
    return values as number[];
  }

  /** The latest value of a series (undefined before the first epoch). */
  last(name: string): number | undefined {
    return this.get(name).at(-1);
  }

  toJSON(): Record<string, unknown> {
    return { ...Object.fromEntries(this.series.map((s) => [s, this[s]])), stopped: this.stopped };
  }
}
