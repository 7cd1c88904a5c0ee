// The package demo (`npm run demo`): an MLP learns the bundled 8x8 handwritten digits and
// is scored on digits it never saw; then two interleaved spirals show why the hidden layer
// matters: logistic regression (a straight-line boundary) fails where an MLP succeeds.
import * as my from 'myelin';
import { isMain } from './lib/run.mjs';

const F = my.nn.functional;

/** Fraction of rows of `logits` whose arg-max is the label. */
function accuracy(model, x, y) {
  const pred = my.noGrad(() => model.eval().forward(x)).argmax(1).data;
  let hits = 0;
  for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) hits++;
  return hits / y.length;
}

/** Splits rows of (x, y) into a shuffled training part and a held-out rest. */
function split({ x, y }, trainFraction, seed) {
  const [train, test] = my.data.randomSplit(new my.data.TensorDataset(x, y), [trainFraction, 1 - trainFraction], { seed });
  const gather = (subset) => {
    const [xs, ys] = subset.getBatch(Array.from({ length: subset.length }, (_, i) => i));
    return { x: xs, y: ys };
  };
  return { train: gather(train), test: gather(test) };
}

/**
 * The classic two-spirals problem: arm 0 is r = θ for θ in [0.5, 2π·turns], arm 1 the
 * same arm turned by π, scaled into the unit disc; n points per arm.
 */
function twoSpirals(n, turns) {
  const x = new Float32Array(4 * n), y = new Int32Array(2 * n);
  const end = 2 * Math.PI * turns;
  for (let i = 0; i < n; i++) {
    const t = 0.5 + ((end - 0.5) * i) / (n - 1);
    for (const arm of [0, 1]) {
      const row = 2 * i + arm, sign = arm === 0 ? 1 : -1;
      x[2 * row] = (sign * t * Math.cos(t)) / end;
      x[2 * row + 1] = (sign * t * Math.sin(t)) / end;
      y[row] = arm;
    }
  }
  return { x: my.tensor(x, { shape: [2 * n, 2] }), y };
}

async function trainClassifier(model, data, { epochs, lr, batchSize }) {
  const optimizer = new my.optim.Adam(model.parameters(), { lr });
  await my.train.fit(model, {
    loss: new my.nn.CrossEntropyLoss(),
    optimizer,
    train: { x: data.x, y: data.y, batchSize },
    epochs,
    progress: false,
  });
  return model;
}

export async function main({ epochs = 30, spiralEpochs = 300, log = console.log } = {}) {
  my.manualSeed(0);
  log(`myelin on ${JSON.stringify(my.backend())}`);

  // 1. Digits: 1437 images to learn from, 360 held out.
  const digits = split(my.data.digits(), 0.8, 0);
  const mlp = new my.nn.Sequential(new my.nn.Linear(64, 128), new my.nn.ReLU(), new my.nn.Linear(128, 10));
  const t0 = performance.now();
  await trainClassifier(mlp, digits.train, { epochs, lr: 3e-3, batchSize: 32 });
  const seconds = (performance.now() - t0) / 1000;
  const digitsAccuracy = accuracy(mlp, digits.test.x, digits.test.y);
  log(`digits: MLP 64-128-10, ${epochs} epochs in ${seconds.toFixed(2)} s ` +
    `(${Math.round((epochs * digits.train.y.length) / seconds)} samples/s); ` +
    `held-out accuracy ${(100 * digitsAccuracy).toFixed(1)} % on ${digits.test.y.length} digits`);

  // 2. Two interleaved spirals: no straight line separates them.
  const spiral = twoSpirals(200, 1.5);
  const logistic = await trainClassifier(new my.nn.Linear(2, 2), spiral, { epochs: spiralEpochs, lr: 1e-2, batchSize: 50 });
  const deep = await trainClassifier(
    new my.nn.Sequential(new my.nn.Linear(2, 64), new my.nn.Tanh(), new my.nn.Linear(64, 64), new my.nn.Tanh(), new my.nn.Linear(64, 2)),
    spiral, { epochs: spiralEpochs, lr: 1e-2, batchSize: 50 });
  const logisticAccuracy = accuracy(logistic, spiral.x, spiral.y);
  const mlpAccuracy = accuracy(deep, spiral.x, spiral.y);
  log(`spirals: logistic regression ${(100 * logisticAccuracy).toFixed(1)} % (a line cannot separate them), ` +
    `MLP 2-64-64-2 ${(100 * mlpAccuracy).toFixed(1)} %`);
  return { digitsAccuracy, seconds, logisticAccuracy, mlpAccuracy };
}

if (isMain(import.meta.url)) await main();
