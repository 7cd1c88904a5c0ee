// Fashion-MNIST with an MLP 784-512-256-10 (ReLU), Adam, 10 epochs: >= 88.5 % test accuracy.
// Needs the data set: `apt-get install dataset-fashion-mnist` (files in /usr/share/datasets/fashion-mnist).
// Writes fashion-mnist.svg (loss and accuracy curves).
// Run: npm run build:ts && node examples/fashion-mnist.mjs
import * as my from 'myelin';
import { isMain } from './lib/run.mjs';

/** The first `n` examples of a split (all when n is undefined). */
function head({ x, y }, n) {
  if (n === undefined || n >= y.length) return { x, y };
  return { x: x.narrow(0, 0, n), y: y.subarray(0, n) };
}

export async function main({ epochs = 10, trainSize, testSize, batchSize = 128, lr = 1e-3, seed = 0, dir, svg = 'fashion-mnist.svg', progress = true, log = console.log } = {}) {
  my.manualSeed(seed);
  const data = my.data.loadFashionMnist(dir);
  const train = head(data.train, trainSize), test = head(data.test, testSize);
  log(`Fashion-MNIST: ${train.y.length} training and ${test.y.length} test images; backend ${JSON.stringify(my.backend())}`);

  const model = new my.nn.Sequential(
    new my.nn.Linear(784, 512), new my.nn.ReLU(),
    new my.nn.Linear(512, 256), new my.nn.ReLU(),
    new my.nn.Linear(256, 10),
  );
  const optimizer = new my.optim.Adam(model.parameters(), { lr });
  const started = performance.now();
  const history = await my.train.fit(model, {
    loss: new my.nn.CrossEntropyLoss(),
    optimizer,
    train: new my.data.DataLoader(new my.data.TensorDataset(train.x, train.y), { batchSize, shuffle: true, seed }),
    // The test split doubles as validation here, as in the usual Fashion-MNIST benchmarks.
    validation: new my.data.DataLoader(new my.data.TensorDataset(test.x, test.y), { batchSize: 1000 }),
    epochs,
    metrics: ['accuracy'],
    progress,
  });
  const testAccuracy = history.valAccuracy.at(-1);
  const seconds = (performance.now() - started) / 1000;
  log(`test accuracy after ${history.epochs} epochs: ${(100 * testAccuracy).toFixed(2)} % (${seconds.toFixed(0)} s)`);
  if (svg) my.plot.history(history, svg, { title: 'Fashion-MNIST MLP' });
  return { history, testAccuracy, seconds };
}

if (isMain(import.meta.url)) await main();
