import { writeFileSync } from 'node:fs';
import { check } from '../check.js';

/** Ten distinguishable colours (matplotlib's tab10), used in order for series and classes. */
export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** Coordinates with two decimals: enough for a screen, and keeps the file small. */
export function num(v: number): string {
  return String(Math.round(v * 100) / 100);
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** An element with attributes (numbers rounded) and optional text content. */
export function el(tag: string, attrs: Record<string, string | number>, content = ''): string {
  const a = Object.entries(attrs).map(([k, v]) => ` ${k}="${typeof v === 'number' ? num(v) : escapeXml(v)}"`).join('');
  return content === '' ? `<${tag}${a}/>` : `<${tag}${a}>${content}</${tag}>`;
}

export function text(x: number, y: number, content: string, attrs: Record<string, string | number> = {}): string {
  return el('text', { x, y, ...attrs }, escapeXml(content));
}

/** A complete SVG document of the given size around `body`. */
export function svgDocument(width: number, height: number, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    el('rect', { width, height, fill: 'white' }),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** Writes `svg` to `path` when one is given (`fn` names the caller in errors); returns the SVG. */
export function writeSvg(fn: string, svg: string, path: string | undefined): string {
  check(path === undefined || (typeof path === 'string' && path.length > 0), () => `${fn}: path must be a file name such as 'plot.svg', got ${String(path)}`);
  if (path !== undefined) writeFileSync(path, svg);
  return svg;
}

/** About `count` round tick values (steps of 1, 2 or 5 times a power of ten) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return ticks;
}

/** A tick label without floating-point noise: 0.30000000000000004 → "0.3". */
export function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-3 ? v.toExponential(0) : String(Number(v.toPrecision(6)));
}
