import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import { niceTicks } from '../../src/plot/svg.js';
import { describeBackends } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'myelin-plot-'));
const paths = (svg: string) => [...svg.matchAll(/<path d="([^"]+)"/g)].map((m) => m[1]);

describeBackends('plot', () => {
  it('picks round ticks', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6000000000000001, 0.8, 1]);
    expect(niceTicks(-3.7, 12.1, 5)).toEqual([0, 5, 10]);
    expect(niceTicks(-1, 1, 4)).toEqual([-1, -0.5, 0, 0.5, 1]);
  });

  it('lines maps data to the plot area and writes the file', () => {
    const file = join(dir, 'lines.svg');
    const svg = my.plot.lines([{ name: 'a', y: [0, 10], x: [0, 1] }], file);
    expect(readFileSync(file, 'utf8')).toBe(svg);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="640" height="400"/);
    // Plot area x 62..626, y 30..358; y padded by 5 %: [-0.5, 10.5].
    expect(paths(svg)).toEqual(['M62.0 343.1L626.0 44.9']);
    expect(svg).toContain('>a</text>');
  });

  it('leaves a gap at non-finite values and draws a log axis', () => {
    const svg = my.plot.lines([{ name: 'loss <1>', y: [1, 0.1, NaN, 0.01, 0.001] }], undefined, { logY: true, title: 'log' });
    expect(paths(svg)).toHaveLength(2);
    expect(svg).toContain('>0.01</text>');
    expect(svg).toContain('>1</text>');
    expect(svg).toContain('loss &lt;1&gt;');
  });

  it('history draws loss and accuracy panels with dashed validation curves', () => {
    const h = new my.train.History();
    for (let e = 0; e < 4; e++) h.record({ loss: 1 / (e + 1), valLoss: 1.2 / (e + 1), accuracy: 0.5 + e / 10, valAccuracy: 0.45 + e / 10, lr: 0.1, epochTime: 1 });
    const file = join(dir, 'curves.svg');
    const svg = my.plot.history(h, file);
    expect(readFileSync(file, 'utf8')).toBe(svg);
    expect(svg).toMatch(/width="960" height="340"/);
    expect(paths(svg)).toHaveLength(4);
    expect(svg.match(/<path [^>]*stroke-dasharray/g)).toHaveLength(2);
    expect(svg).toContain('>val accuracy</text>');
    const lossOnly = new my.train.History();
    lossOnly.record({ loss: 1, lr: 0.1, epochTime: 1 });
    expect(my.plot.history(lossOnly)).toMatch(/width="480"/);
    expect(() => my.plot.history(new my.train.History())).toThrow(/plot.history: the history has no epochs/);
  });

  it('decisionBoundary colours the plane by the predicted class', () => {
    const x = my.tensor([[-1, -1], [1, 1], [-1, 1], [1, -1]]);
    const y = [0, 1, 0, 1];
    // Class 1 right of x = 0: every grid row splits into exactly two runs.
    const predict = (p: my.Tensor) => my.tensor(Array.from({ length: p.shape[0] }, (_, i) => (p.data[2 * i] > 0 ? [0, 1] : [1, 0])));
    const svg = my.plot.decisionBoundary(predict, { x, y }, join(dir, 'boundary.svg'), { resolution: 10 });
    const cells = [...svg.matchAll(/<rect x="[^"]+" y="[^"]+" width="([^"]+)" height="[^"]+" fill="(#[0-9a-f]+)" fill-opacity/g)];
    expect(cells).toHaveLength(20);
    expect(cells.filter((c) => c[2] === '#1f77b4')).toHaveLength(10);
    expect(cells.filter((c) => c[2] === '#ff7f0e')).toHaveLength(10);
    expect(svg.match(/<circle /g)).toHaveLength(4);
  });

  it('decisionBoundary runs a Module in eval mode and restores its mode; refuses bad data', () => {
    const model = new my.nn.Sequential(new my.nn.Linear(2, 1));
    my.plot.decisionBoundary(model, { x: my.tensor([[0, 0], [1, 1]]), y: [0, 1] }, undefined, { resolution: 4, threshold: 0 });
    expect(model.training).toBe(true);
    expect(() => my.plot.decisionBoundary(model, { x: my.zeros([3, 3]), y: [0, 1, 0] })).toThrow(/data.x must be a Tensor \[n, 2\], got Tensor \[3,3\]/);
    expect(() => my.plot.decisionBoundary(model, { x: my.zeros([3, 2]), y: [0, 1] })).toThrow(/data.y has 2 labels for 3 points/);
    expect(() => my.plot.lines([], 'x.svg')).toThrow(/plot.lines: expected a non-empty array/);
  });
});
