import { check } from '../check.js';
import { el, niceTicks, PALETTE, text, tickLabel } from './svg.js';

/** One line: `y` values against `x` (default 0, 1, 2, ...); non-finite points leave a gap. */
export interface Series {
  name: string;
  y: ArrayLike<number>;
  x?: ArrayLike<number>;
  color?: string;
  dashed?: boolean;
}

export interface ChartOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Logarithmic y axis (only positive values are drawn). */
  logY?: boolean;
}

/** Where a panel sits in the document. */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

const MARGIN = { left: 62, right: 14, top: 30, bottom: 42 };

/** Checks series for `fn`'s errors: names, lengths and numbers. */
export function checkSeries(fn: string, series: readonly Series[]): void {
  check(Array.isArray(series) && series.length > 0, () => `${fn}: expected a non-empty array of { name, y, x? } series`);
  series.forEach((s, i) => {
    check(s !== null && typeof s === 'object' && typeof s.name === 'string' && s.y !== undefined && typeof s.y.length === 'number', () =>
      `${fn}: series ${i} must be { name, y, x? } with y an array of numbers`);
    check(s.x === undefined || s.x.length === s.y.length, () => `${fn}: series '${s.name}' has ${s.x!.length} x values but ${s.y.length} y values`);
  });
}

/** The SVG elements of a line chart with axes, ticks, labels and a legend inside `box`. */
export function lineChart(series: readonly Series[], box: Box, opts: ChartOptions = {}): string[] {
  const logY = opts.logY ?? false;
  const lines = series.map((s) => runs(Array.from(s.y, (y, i) => [s.x ? s.x[i] : i, logY ? Math.log10(y) : y] as const)));
  const all = lines.flat(2);
  const [x0, x1] = padRange(all.map((p) => p[0]), 0);
  const [y0, y1] = padRange(all.map((p) => p[1]), 0.05);
  const plot = { left: box.left + MARGIN.left, top: box.top + MARGIN.top, width: box.width - MARGIN.left - MARGIN.right, height: box.height - MARGIN.top - MARGIN.bottom };
  const sx = (x: number) => plot.left + ((x - x0) / (x1 - x0)) * plot.width;
  const sy = (y: number) => plot.top + plot.height - ((y - y0) / (y1 - y0)) * plot.height;
  const out: string[] = [el('rect', { x: plot.left, y: plot.top, width: plot.width, height: plot.height, fill: 'none', stroke: '#444' })];
  for (const t of niceTicks(x0, x1, 6)) {
    out.push(el('line', { x1: sx(t), x2: sx(t), y1: plot.top + plot.height, y2: plot.top + plot.height + 4, stroke: '#444' }));
    out.push(text(sx(t), plot.top + plot.height + 16, tickLabel(t), { 'text-anchor': 'middle' }));
  }
  const yTicks = logY ? niceTicks(Math.floor(y0), Math.ceil(y1), 6).filter((t) => Number.isInteger(t) && t >= y0 && t <= y1) : niceTicks(y0, y1, 5);
  for (const t of yTicks) {
    out.push(el('line', { x1: plot.left, x2: plot.left + plot.width, y1: sy(t), y2: sy(t), stroke: '#ddd' }));
    out.push(text(plot.left - 6, sy(t) + 4, logY ? tickLabel(10 ** t) : tickLabel(t), { 'text-anchor': 'end' }));
  }
  if (opts.title) out.push(text(plot.left + plot.width / 2, box.top + 18, opts.title, { 'text-anchor': 'middle', 'font-size': 14 }));
  if (opts.xLabel) out.push(text(plot.left + plot.width / 2, box.top + box.height - 8, opts.xLabel, { 'text-anchor': 'middle' }));
  if (opts.yLabel) {
    const cx = box.left + 14, cy = plot.top + plot.height / 2;
    out.push(text(cx, cy, opts.yLabel, { 'text-anchor': 'middle', transform: `rotate(-90 ${cx} ${cy})` }));
  }
  series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const dash: Record<string, string> = s.dashed ? { 'stroke-dasharray': '5 3' } : {};
    for (const run of lines[i]) {
      const d = run.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${sx(x).toFixed(1)} ${sy(y).toFixed(1)}`).join('');
      out.push(run.length === 1
        ? el('circle', { cx: sx(run[0][0]), cy: sy(run[0][1]), r: 2.5, fill: color })
        : el('path', { d, fill: 'none', stroke: color, 'stroke-width': 1.8, ...dash }));
    }
    const ly = plot.top + 14 + i * 16;
    out.push(el('line', { x1: plot.left + plot.width - 120, x2: plot.left + plot.width - 100, y1: ly - 4, y2: ly - 4, stroke: color, 'stroke-width': 2, ...dash }));
    out.push(text(plot.left + plot.width - 95, ly, s.name));
  });
  return out;
}

type Point = readonly [number, number];

/** Splits a line at non-finite points (NaN loss, log of 0) so that a gap is not bridged. */
function runs(points: readonly Point[]): Point[][] {
  const out: Point[][] = [];
  let current: Point[] = [];
  for (const p of points) {
    if (Number.isFinite(p[0]) && Number.isFinite(p[1])) current.push(p);
    else if (current.length > 0) {
      out.push(current);
      current = [];
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** [min, max] of `values`, widened by `pad` of the span (or by 1 when all are equal). */
function padRange(values: number[], pad: number): [number, number] {
  if (values.length === 0) return [0, 1];
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (hi === lo) return [lo - 1, hi + 1];
  const p = (hi - lo) * pad;
  return [lo - p, hi + p];
}
