import { Tensor } from '../tensor.js';
import { check, fmtShape } from '../check.js';
import { describe } from '../ops/util.js';
import type { Labels } from './batches.js';
import { labelCount } from './batches.js';

/**
 * A figure computed on each batch's output and averaged over the epoch's examples:
 * `{ name: 'mae', fn: (out, y) => out.sub(y).abs().mean().item() }`. Validation values are
 * logged as `val` + Name (`valMae`).
 */
export interface Metric {
  name: string;
  fn(output: Tensor, target: Labels): number;
}

/**
 * The fraction of correct predictions: argmax over classes for [n, C] outputs (targets are
 * class indices or [n, C] probabilities), `output > threshold` for [n] or [n, 1] outputs
 * (0.5 for probabilities; pass `{ threshold: 0 }` for logits): `metrics: [my.train.accuracy()]`.
 */
export function accuracy(opts: { threshold?: number } = {}): Metric {
  const threshold = opts.threshold ?? 0.5;
  return { name: 'accuracy', fn: (output, target) => batchAccuracy(output, target, threshold) };
}

function batchAccuracy(output: Tensor, target: Labels, threshold: number): number {
  const n = output.ndim === 0 ? 1 : output.shape[0];
  check(labelCount(target) === n, () => `accuracy: ${labelCount(target)} targets for ${n} outputs ${fmtShape(output.shape)}`);
  const classes = output.ndim === 2 ? output.shape[1] : 1;
  check(output.ndim === 1 || output.ndim === 2, () => `accuracy: outputs must be [n] or [n, classes], got ${fmtShape(output.shape)}`);
  const out = output.data;
  const targetAt = targetReader(target, n, classes);
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const predicted = classes === 1 ? (out[i] > threshold ? 1 : 0) : argmaxRow(out, i * classes, classes);
    if (predicted === targetAt(i)) correct++;
  }
  return correct / n;
}

/** The target class of example i: an index, the argmax of a probability row, or a 0/1 label. */
function targetReader(target: Labels, n: number, classes: number): (i: number) => number {
  if (target instanceof Tensor && target.ndim === 2 && target.shape[1] > 1) {
    check(target.shape[1] === classes, () => `accuracy: targets ${fmtShape(target.shape)} do not match ${classes} classes`);
    return (i) => argmaxRow(target.data, i * classes, classes);
  }
  const values: ArrayLike<number> = target instanceof Tensor ? target.data : target;
  check(values.length === n, () => `accuracy: targets must be one per example, got ${describe(target)}`);
  return classes === 1 ? (i) => (values[i] > 0.5 ? 1 : 0) : (i) => values[i];
}

function argmaxRow(data: ArrayLike<number>, offset: number, length: number): number {
  let best = 0;
  for (let j = 1; j < length; j++) if (data[offset + j] > data[offset + best]) best = j;
  return best;
}

/** Metrics by name (`'accuracy'`) or as Metric objects, checked once before training. */
export function resolveMetrics(metrics: readonly (string | Metric)[] | undefined): Metric[] {
  if (metrics === undefined) return [];
  check(Array.isArray(metrics), () => `fit: metrics must be an array such as ['accuracy'], got ${describe(metrics)}`);
  return metrics.map((m, i) => {
    if (m === 'accuracy') return accuracy();
    check(typeof m === 'object' && m !== null && typeof m.name === 'string' && typeof m.fn === 'function', () =>
      `fit: metrics[${i}] must be 'accuracy' or { name, fn(output, target) }, got ${typeof m === 'string' ? `'${m}'` : describe(m)}`);
    check(/^[a-z][A-Za-z0-9]*$/.test(m.name) && m.name !== 'loss' && m.name !== 'lr', () =>
      `fit: metrics[${i}] name '${m.name}' must be a camelCase identifier other than 'loss' and 'lr'`);
    return m;
  });
}

/** `valAccuracy` for `accuracy`. */
export function validationName(name: string): string {
  return `val${name[0].toUpperCase()}${name.slice(1)}`;
}
