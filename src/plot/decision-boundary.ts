import { Tensor } from '../tensor.js';
import { check, fmtShape } from '../check.js';
import { allocate } from '../dtype.js';
import { fromStorage } from '../creation.js';
import { noGrad } from '../autograd/mode.js';
import { Module } from '../nn/module.js';
import { describe } from '../ops/util.js';
import { labelCount, type Labels } from '../train/batches.js';
import { el, niceTicks, PALETTE, svgDocument, text, tickLabel, writeSvg } from './svg.js';

export interface DecisionBoundaryOptions {
  /** Grid cells per side; default 120. */
  resolution?: number;
  /** Single-output models predict class 1 above this; default 0.5 (use 0 for logits). */
  threshold?: number;
  size?: number;
  title?: string;
}

/**
 * Colours the plane by the class a 2-D classifier predicts and draws the data on top; writes
 * the SVG to `path` and returns it: `my.plot.decisionBoundary(model, { x, y }, 'spirals.svg')`.
 * `model` is a Module (run in eval mode) or a function from [n, 2] points to [n, classes] scores.
 */
export function decisionBoundary(model: Module | ((x: Tensor) => Tensor), data: { x: Tensor; y: Labels }, path?: string,
  opts: DecisionBoundaryOptions = {}): string {
  const fn = 'plot.decisionBoundary';
  check(model instanceof Module || typeof model === 'function', () => `${fn}: model must be a Module or a function, got ${describe(model)}`);
  const { x, y } = data ?? ({} as { x: Tensor; y: Labels });
  check(x instanceof Tensor && x.ndim === 2 && x.shape[1] === 2, () => `${fn}: data.x must be a Tensor [n, 2], got ${describe(x)}`);
  check(labelCount(y) === x.shape[0], () => `${fn}: data.y has ${labelCount(y)} labels for ${x.shape[0]} points`);
  const res = opts.resolution ?? 120, size = opts.size ?? 480;
  check(Number.isInteger(res) && res >= 2 && res <= 1000, () => `${fn}: resolution must be an integer in 2..1000, got ${res}`);
  const [x0, x1] = bounds(x, 0), [y0, y1] = bounds(x, 1);
  const classes = predictGrid(model, gridPoints(x, res, [x0, x1], [y0, y1]), opts.threshold ?? 0.5);

  const m = { left: 50, top: opts.title ? 30 : 12, right: 12, bottom: 36 };
  const side = size - m.left - m.right;
  const sx = (v: number) => m.left + ((v - x0) / (x1 - x0)) * side;
  const sy = (v: number) => m.top + side - ((v - y0) / (y1 - y0)) * side;
  const cell = side / res;
  const body: string[] = [];
  // One rectangle per run of equal predictions along a grid row keeps the file small.
  for (let r = 0; r < res; r++) {
    for (let c = 0; c < res;) {
      const k = classes[r * res + c];
      let end = c + 1;
      while (end < res && classes[r * res + end] === k) end++;
      body.push(el('rect', { x: m.left + c * cell, y: m.top + side - (r + 1) * cell, width: (end - c) * cell + 0.3, height: cell + 0.3, fill: PALETTE[k % 10], 'fill-opacity': 0.25 }));
      c = end;
    }
  }
  const labels: ArrayLike<number> = y instanceof Tensor ? y.data : y;
  for (let i = 0; i < x.shape[0]; i++) {
    const label = Math.round(labels[i]);
    body.push(el('circle', { cx: sx(x.data[2 * i]), cy: sy(x.data[2 * i + 1]), r: 3, fill: PALETTE[((label % 10) + 10) % 10], stroke: 'white', 'stroke-width': 0.6 }));
  }
  body.push(el('rect', { x: m.left, y: m.top, width: side, height: side, fill: 'none', stroke: '#444' }));
  for (const t of niceTicks(x0, x1, 6)) body.push(text(sx(t), m.top + side + 16, tickLabel(t), { 'text-anchor': 'middle' }));
  for (const t of niceTicks(y0, y1, 6)) body.push(text(m.left - 6, sy(t) + 4, tickLabel(t), { 'text-anchor': 'end' }));
  if (opts.title) body.push(text(m.left + side / 2, 20, opts.title, { 'text-anchor': 'middle', 'font-size': 14 }));
  return writeSvg(fn, svgDocument(size, m.top + side + m.bottom, body), path);
}

/** The range of column `col` widened by 10 % on each side. */
function bounds(x: Tensor, col: number): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = col; i < x.size; i += 2) {
    lo = Math.min(lo, x.data[i]);
    hi = Math.max(hi, x.data[i]);
  }
  const pad = hi > lo ? (hi - lo) * 0.1 : 1;
  return [lo - pad, hi + pad];
}

/** Cell centres of a res × res grid, row by row from the bottom, in x's dtype. */
function gridPoints(like: Tensor, res: number, [x0, x1]: number[], [y0, y1]: number[]): Tensor {
  const data = allocate(like.dtype, res * res * 2);
  for (let r = 0; r < res; r++) {
    for (let c = 0; c < res; c++) {
      data[2 * (r * res + c)] = x0 + ((c + 0.5) / res) * (x1 - x0);
      data[2 * (r * res + c) + 1] = y0 + ((r + 0.5) / res) * (y1 - y0);
    }
  }
  return fromStorage(data, [res * res, 2]);
}

/** The predicted class per grid point: argmax of [n, C] scores, or a threshold on one output. */
function predictGrid(model: Module | ((x: Tensor) => Tensor), grid: Tensor, threshold: number): Int32Array {
  const out = noGrad(() => {
    if (!(model instanceof Module)) return model(grid);
    const wasTraining = model.training;
    model.eval();
    try {
      return model.forward(grid);
    } finally {
      model.train(wasTraining);
    }
  });
  const n = grid.shape[0];
  check(out instanceof Tensor && out.shape[0] === n && out.ndim <= 2, () =>
    `plot.decisionBoundary: the model must map [${n}, 2] points to [${n}] or [${n}, classes] scores, got ${out instanceof Tensor ? fmtShape(out.shape) : describe(out)}`);
  const classes = out.ndim === 2 ? out.shape[1] : 1;
  const result = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (classes === 1) result[i] = out.data[i] > threshold ? 1 : 0;
    else {
      let best = 0;
      for (let k = 1; k < classes; k++) if (out.data[i * classes + k] > out.data[i * classes + best]) best = k;
      result[i] = best;
    }
  }
  return result;
}
