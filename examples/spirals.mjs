// Three interleaved spirals: a linear classifier (softmax regression) cuts the plane into
// three wedges and gets about half right; an MLP bends its boundaries around the arms.
// Writes spirals-linear.svg and spirals-mlp.svg (decision boundaries over the data).
// Run: npm run build:ts && node examples/spirals.mjs
import * as my from 'myelin';
import { isMain } from './lib/run.mjs';

async function train(model, data, epochs) {
  const history = await my.train.fit(model, {
    loss: new my.nn.CrossEntropyLoss(),
    optimizer: new my.optim.Adam(model.parameters(), { lr: 0.01 }),
    train: { x: data.x, y: data.y, batchSize: 32 },
    epochs,
    metrics: ['accuracy'],
    progress: false,
  });
  return { accuracy: history.accuracy.at(-1), history };
}

export async function main({ n = 300, epochs = 200, hidden = 64, seed = 0, svg = 'spirals', log = console.log } = {}) {
  my.manualSeed(seed);
  const data = my.data.spirals({ n, classes: 3, noise: 0.2, seed });
  const linear = new my.nn.Linear(2, 3);
  const mlp = new my.nn.Sequential(new my.nn.Linear(2, hidden), new my.nn.ReLU(), new my.nn.Linear(hidden, hidden), new my.nn.ReLU(), new my.nn.Linear(hidden, 3));
  const results = { linear: await train(linear, data, epochs), mlp: await train(mlp, data, epochs) };
  // Accuracy on the whole set in eval mode (the figures above are running means over an epoch).
  for (const [name, model] of [['linear', linear], ['mlp', mlp]]) {
    results[name].finalAccuracy = (await my.train.evaluate(model, data, { loss: my.nn.functional.crossEntropy, metrics: ['accuracy'] })).accuracy;
    if (svg) my.plot.decisionBoundary(model, data, `${svg}-${name}.svg`, { title: `${name}: ${(100 * results[name].finalAccuracy).toFixed(1)} % of ${n} points` });
    log(`${name.padEnd(6)}: training accuracy ${(100 * results[name].finalAccuracy).toFixed(1)} %`);
  }
  return results;
}

if (isMain(import.meta.url)) await main();
