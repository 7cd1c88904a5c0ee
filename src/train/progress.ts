import cliProgress from 'cli-progress';
import { check } from '../check.js';
import type { EpochLogs } from './history.js';

/** A writable stream as `fit` uses it; `isTTY` decides between the bar and plain lines. */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/**
 * `true` (the default): a bar with rate and ETA on a TTY, one line per epoch otherwise, on
 * stderr; `false`: silent; `{ stream }`: the same on another stream.
 */
export type ProgressOption = boolean | { stream: ProgressStream };

/** What fit tells the progress display. */
export interface Progress {
  epochBegin(epoch: number, batches: number | undefined): void;
  batchEnd(batch: number, loss: number, examples: number): void;
  epochEnd(epoch: number, logs: EpochLogs): void;
  end(note?: string): void;
}

const silent: Progress = { epochBegin() {}, batchEnd() {}, epochEnd() {}, end() {} };

/** The display for `progress`, given the number of epochs. */
export function createProgress(option: ProgressOption | undefined, epochs: number): Progress {
  if (option === false) return silent;
  check(option === undefined || option === true || (typeof option === 'object' && option !== null && typeof option.stream?.write === 'function'), () =>
    `fit: progress must be true, false or { stream }, got ${String(option)}`);
  const stream: ProgressStream = option === undefined || option === true ? process.stderr : option.stream;
  return stream.isTTY === true ? new BarProgress(stream, epochs) : new LineProgress(stream, epochs);
}

/** `epoch 3/10 - 1.2s - loss 0.4123 - accuracy 0.8512 - valLoss 0.4511 - lr 0.001`. */
export function epochLine(epoch: number, epochs: number, logs: EpochLogs): string {
  const figures = Object.entries(logs)
    .filter(([name]) => name !== 'epochTime')
    .map(([name, value]) => `${name} ${formatNumber(value)}`);
  return [`epoch ${epoch + 1}/${epochs}`, `${(logs.epochTime ?? 0).toFixed(1)}s`, ...figures].join(' - ');
}

function formatNumber(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}

class LineProgress implements Progress {
  constructor(private readonly stream: ProgressStream, private readonly epochs: number) {}
  epochBegin(): void {}
  batchEnd(): void {}
  epochEnd(epoch: number, logs: EpochLogs): void {
    this.stream.write(epochLine(epoch, this.epochs, logs) + '\n');
  }
  end(note?: string): void {
    if (note) this.stream.write(note + '\n');
  }
}

/** cli-progress's bar during an epoch, replaced by the epoch's line when it ends. */
class BarProgress implements Progress {
  private bar: cliProgress.SingleBar | null = null;
  private started = 0;
  private examples = 0;
  private knownTotal: number | undefined;

  constructor(private readonly stream: ProgressStream, private readonly epochs: number) {}

  epochBegin(epoch: number, batches: number | undefined): void {
    this.knownTotal = batches;
    this.started = performance.now();
    this.examples = 0;
    this.bar = new cliProgress.SingleBar({
      format: `epoch ${epoch + 1}/${this.epochs} [{bar}] {value}/{total} | loss {loss} | {rate} ex/s | ETA {eta_formatted}`,
      stream: this.stream as NodeJS.WritableStream,
      clearOnComplete: true,
      hideCursor: null,
      etaBuffer: 50,
      fps: 5,
    }, cliProgress.Presets.legacy);
    this.bar.start(batches ?? 1, 0, { loss: '-', rate: '-' });
  }

  batchEnd(batch: number, loss: number, examples: number): void {
    if (!this.bar) return;
    this.examples += examples;
    const seconds = (performance.now() - this.started) / 1000;
    // Without a known length (a custom iterable) the bar grows with the batches seen.
    if (this.knownTotal === undefined) this.bar.setTotal(batch + 2);
    this.bar.update(batch + 1, { loss: formatNumber(loss), rate: seconds > 0 ? Math.round(this.examples / seconds) : '-' });
  }

  epochEnd(epoch: number, logs: EpochLogs): void {
    this.bar?.stop();
    this.bar = null;
    this.stream.write(epochLine(epoch, this.epochs, logs) + '\n');
  }

  end(note?: string): void {
    this.bar?.stop();
    this.bar = null;
    if (note) this.stream.write(note + '\n');
  }
}
