import { check } from '../check.js';
import { Module } from '../nn/module.js';
import { describe } from '../ops/util.js';
import { batchSource, type DataInput } from './batches.js';
import { evaluateBatches, toLossFn, type LossInput } from './epoch.js';
import { resolveMetrics, type Metric } from './metrics.js';

export interface EvaluateOptions {
  loss: LossInput;
  metrics?: (string | Metric)[];
}

/**
 * The mean loss and metrics of `model` over `data` (a DataLoader or `{ x, y, batchSize? }`),
 * in eval mode without a graph: `await my.train.evaluate(model, test, { loss, metrics: ['accuracy'] })`
 * → `{ loss: 0.31, accuracy: 0.89 }`.
 */
export async function evaluate(model: Module, data: DataInput, opts: EvaluateOptions): Promise<Record<string, number>> {
  check(model instanceof Module, () => `evaluate: model must be a my.nn.Module, got ${describe(model)}`);
  const lossFn = toLossFn('evaluate', opts?.loss);
  const totals = await evaluateBatches(model, batchSource('data', data, false), lossFn, resolveMetrics(opts.metrics));
  return totals!.means();
}
