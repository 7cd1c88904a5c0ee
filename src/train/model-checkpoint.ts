import { check } from '../check.js';
import { save } from '../io/index.js';
import type { Callback, TrainContext } from './callback.js';
import type { EpochLogs } from './history.js';
import { Monitor, type MonitorMode } from './monitor.js';

export interface ModelCheckpointOptions {
  /** The safetensors file; `{epoch}` (from 1) and any logged figure (`{valLoss}`) are filled in. */
  path: string;
  /** Default `'valLoss'`; used with saveBestOnly. */
  monitor?: string;
  /** Save only when the monitored figure improves; default false (save every epoch). */
  saveBestOnly?: boolean;
  mode?: MonitorMode;
}

/**
 * Saves the model's state dict as safetensors at the end of epochs (atomically, through
 * `my.save`), every epoch or only when the monitored figure improves:
 * `new my.train.ModelCheckpoint({ path: 'best.safetensors', saveBestOnly: true })`.
 */
export class ModelCheckpoint implements Callback {
  readonly path: string;
  readonly saveBestOnly: boolean;
  private readonly monitor: Monitor;
  /** The files written, in order. */
  readonly saved: string[] = [];

  constructor(opts: ModelCheckpointOptions) {
    check(opts !== null && typeof opts === 'object' && typeof opts.path === 'string' && opts.path.length > 0, () =>
      `ModelCheckpoint: expected { path: 'model.safetensors', ... }, got ${JSON.stringify(opts)}`);
    this.path = opts.path;
    this.saveBestOnly = opts.saveBestOnly ?? false;
    this.monitor = new Monitor('ModelCheckpoint', opts.monitor ?? 'valLoss', opts.mode ?? 'auto', 0);
  }

  onTrainBegin(): void {
    this.monitor.reset();
  }

  async onEpochEnd(epoch: number, logs: EpochLogs, ctx: TrainContext): Promise<void> {
    if (this.saveBestOnly && !this.monitor.update(this.monitor.read(logs))) return;
    const file = fillTemplate(this.path, epoch, logs);
    await save(ctx.model.stateDict(), file);
    this.saved.push(file);
  }
}

/** `ckpt-{epoch}-{valLoss}.safetensors` → `ckpt-3-0.4123.safetensors`; unknown names are an Error. */
function fillTemplate(path: string, epoch: number, logs: EpochLogs): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    if (name === 'epoch') return String(epoch + 1);
    check(typeof logs[name] === 'number', () => `ModelCheckpoint: path '${path}' names {${name}}, which is not logged (${Object.keys(logs).join(', ')})`);
    return logs[name].toFixed(4);
  });
}
