// XOR: no straight line separates the classes, so logistic regression cannot beat chance on
// the loss (it stays at ln 2), while a one-hidden-layer MLP solves it.
// Run: npm run build:ts && node examples/xor.mjs
import * as my from 'myelin';
import { isMain } from './lib/run.mjs';

const x = () => my.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
const y = () => my.tensor([[0], [1], [1], [0]]);

/** Trains `model` full-batch on the four XOR points; returns the final loss and accuracy. */
async function train(model, epochs, lr) {
  const history = await my.train.fit(model, {
    loss: new my.nn.BCEWithLogitsLoss(),
    optimizer: new my.optim.Adam(model.parameters(), { lr }),
    train: { x: x(), y: y(), batchSize: 4 },
    epochs,
    // The models output logits, so class 1 is a positive output.
    metrics: [my.train.accuracy({ threshold: 0 })],
    progress: false,
  });
  return { loss: history.loss.at(-1), accuracy: history.accuracy.at(-1), history };
}

export async function main({ epochs = 500, seed = 0, log = console.log } = {}) {
  my.manualSeed(seed);
  const logistic = await train(new my.nn.Linear(2, 1), epochs, 0.05);
  const mlp = await train(new my.nn.Sequential(new my.nn.Linear(2, 8), new my.nn.Tanh(), new my.nn.Linear(8, 1)), epochs, 0.05);
  log(`logistic regression: loss ${logistic.loss.toFixed(4)} (ln 2 = ${Math.LN2.toFixed(4)}), accuracy ${(100 * logistic.accuracy).toFixed(0)} %`);
  log(`MLP 2-8-1 (tanh):    loss ${mlp.loss.toFixed(4)}, accuracy ${(100 * mlp.accuracy).toFixed(0)} %`);
  return { logistic, mlp };
}

if (isMain(import.meta.url)) await main();
