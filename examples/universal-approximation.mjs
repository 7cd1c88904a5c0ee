// Universal approximation: one hidden layer of ReLUs fits sin(x) on [-π, π] ever more closely
// as it widens (a width-w ReLU net is a piecewise-linear function with up to w kinks).
// Writes universal-approximation.svg (error against width) next to where it runs.
// Run: npm run build:ts && node examples/universal-approximation.mjs
import * as my from 'myelin';
import { isMain } from './lib/run.mjs';

/** Fits sin with Linear(1, width) → ReLU → Linear(width, 1) by full-batch Adam; returns the RMS error on a fine grid. */
function fitSine(width, steps, x, y, grid, target) {
  const model = new my.nn.Sequential(new my.nn.Linear(1, width), new my.nn.ReLU(), new my.nn.Linear(width, 1));
  const optimizer = new my.optim.Adam(model.parameters(), { lr: 0.01 });
  const scheduler = new my.optim.lrScheduler.CosineAnnealingLR(optimizer, { tMax: steps, etaMin: 1e-4 });
  for (let step = 0; step < steps; step++) {
    optimizer.zeroGrad();
    my.nn.functional.mseLoss(model.forward(x), y).backward();
    optimizer.step();
    scheduler.step();
  }
  const mse = my.noGrad(() => my.nn.functional.mseLoss(model.forward(grid), target).item());
  return Math.sqrt(mse);
}

export async function main({ widths = [1, 2, 4, 8, 16, 32, 64], steps = 2000, seed = 0, svg = 'universal-approximation.svg', log = console.log } = {}) {
  const x = my.arange(-Math.PI, Math.PI + 1e-9, (2 * Math.PI) / 63).unsqueeze(1);
  const y = my.sin(x);
  const grid = my.arange(-Math.PI, Math.PI, 0.01).unsqueeze(1);
  const target = my.sin(grid);
  const errors = [];
  for (const width of widths) {
    my.manualSeed(seed);
    errors.push(fitSine(width, steps, x, y, grid, target));
    log(`width ${String(width).padStart(3)}: RMS error ${errors.at(-1).toExponential(2)}`);
  }
  if (svg) my.plot.lines([{ name: 'RMS error', x: widths.map(Math.log2), y: errors }], svg, { logY: true, xLabel: 'log2(width)', yLabel: 'RMS error', title: 'fitting sin(x) with one hidden layer' });
  return { widths, errors };
}

if (isMain(import.meta.url)) await main();
