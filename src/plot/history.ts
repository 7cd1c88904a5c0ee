import { check } from '../check.js';
import { History } from '../train/history.js';
import { validationName } from '../train/metrics.js';
import { lineChart, type Series } from './chart.js';
import { PALETTE, svgDocument, writeSvg } from './svg.js';

/**
 * Writes the loss curves (training solid, validation dashed) and, when recorded, the
 * accuracy curves side by side to an SVG file; returns the SVG:
 * `my.plot.history(await my.train.fit(...), 'curves.svg')`.
 */
export function history(h: History, path?: string, opts: { width?: number; height?: number; title?: string } = {}): string {
  check(h instanceof History, () => `plot.history: expected the History that fit returns, got ${String(h)}`);
  check(h.epochs > 0, () => 'plot.history: the history has no epochs to plot');
  const epochs = Array.from({ length: h.epochs }, (_, i) => i + 1);
  const pair = (name: string, train: string, color: string): Series[] => [
    ...(h[train] && (h[train] as number[]).length ? [{ name, x: epochs, y: h[train] as number[], color }] : []),
    ...(h[validationName(train)] && (h[validationName(train)] as number[]).length ? [{ name: `val ${name}`, x: epochs, y: h[validationName(train)] as number[], color, dashed: true }] : []),
  ];
  const panels = [{ series: pair('loss', 'loss', PALETTE[0]), title: 'loss' }];
  const acc = pair('accuracy', 'accuracy', PALETTE[1]);
  if (acc.length > 0) panels.push({ series: acc, title: 'accuracy' });
  const panelWidth = opts.width ?? 480, height = opts.height ?? 340;
  const body = panels.flatMap((p, i) =>
    lineChart(p.series, { left: i * panelWidth, top: 0, width: panelWidth, height }, { title: opts.title && i === 0 ? `${opts.title}: ${p.title}` : p.title, xLabel: 'epoch' }));
  return writeSvg('plot.history', svgDocument(panelWidth * panels.length, height, body), path);
}
