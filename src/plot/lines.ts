import { checkSeries, lineChart, type ChartOptions, type Series } from './chart.js';
import { svgDocument, writeSvg } from './svg.js';

export interface LinesOptions extends ChartOptions {
  width?: number;
  height?: number;
}

/**
 * Writes a line chart of several series to an SVG file and returns the SVG:
 * `my.plot.lines([{ name: 'SGD', y: losses }], 'loss.svg', { xLabel: 'step', logY: true })`.
 */
export function lines(series: Series[], path?: string, opts: LinesOptions = {}): string {
  checkSeries('plot.lines', series);
  const width = opts.width ?? 640, height = opts.height ?? 400;
  return writeSvg('plot.lines', svgDocument(width, height, lineChart(series, { left: 0, top: 0, width, height }, opts)), path);
}
