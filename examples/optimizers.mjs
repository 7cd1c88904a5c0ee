// The lectures' optimizers side by side: the same MLP from the same initial weights, trained
// on two moons with SGD, SGD with momentum, Adagrad, Adadelta, RMSprop and Adam.
// Writes optimizers.svg (training loss per epoch, log scale, one curve per optimizer).
// Run: npm run build:ts && node examples/optimizers.mjs
import * as my from 'myelin';
import { isMain } from './lib/run.mjs';

/** Each optimizer with the learning rate it is usually run at. */
const OPTIMIZERS = {
  'SGD': (p) => new my.optim.SGD(p, { lr: 0.05 }),
  'SGD + momentum': (p) => new my.optim.SGD(p, { lr: 0.05, momentum: 0.9 }),
  'Adagrad': (p) => new my.optim.Adagrad(p, { lr: 0.05 }),
  'Adadelta': (p) => new my.optim.Adadelta(p, { lr: 1 }),
  'RMSprop': (p) => new my.optim.RMSprop(p, { lr: 0.005 }),
  'Adam': (p) => new my.optim.Adam(p, { lr: 0.005 }),
};

export async function main({ n = 400, epochs = 60, seed = 0, svg = 'optimizers.svg', log = console.log } = {}) {
  const data = my.data.moons({ n, noise: 0.15, seed });
  const curves = {};
  for (const [name, make] of Object.entries(OPTIMIZERS)) {
    my.manualSeed(seed); // identical initial weights and batch order for every optimizer
    const model = new my.nn.Sequential(new my.nn.Linear(2, 32), new my.nn.Tanh(), new my.nn.Linear(32, 32), new my.nn.Tanh(), new my.nn.Linear(32, 2));
    const history = await my.train.fit(model, {
      loss: new my.nn.CrossEntropyLoss(), optimizer: make(model.parameters()),
      train: { x: data.x, y: data.y, batchSize: 32 }, epochs, metrics: ['accuracy'], progress: false,
    });
    curves[name] = history.loss;
    log(`${name.padEnd(15)} loss ${history.loss[0].toFixed(4)} → ${history.loss.at(-1).toFixed(4)}, accuracy ${(100 * history.accuracy.at(-1)).toFixed(1)} %`);
  }
  if (svg) {
    my.plot.lines(Object.entries(curves).map(([name, y]) => ({ name, x: y.map((_, i) => i + 1), y })), svg,
      { logY: true, xLabel: 'epoch', yLabel: 'training loss', title: 'two moons: optimizers compared' });
  }
  return { curves };
}

if (isMain(import.meta.url)) await main();
