// Overfitting and two cures. A wide MLP trained long on 60 noisy two-moons points memorises
// them: its training loss keeps falling while the validation loss turns and climbs. Dropout
// (p = 0.5) keeps the validation loss low; early stopping halts at the turn and restores the
// best weights. Writes overfitting-*.svg (loss and accuracy curves of each run).
// Run: npm run build:ts && node examples/overfitting.mjs
import * as my from 'myelin';
import { isMain } from './lib/run.mjs';

function mlp(hidden, dropout) {
  const maybeDropout = () => (dropout > 0 ? [new my.nn.Dropout(dropout)] : []);
  return new my.nn.Sequential(
    new my.nn.Linear(2, hidden), new my.nn.ReLU(), ...maybeDropout(),
    new my.nn.Linear(hidden, hidden), new my.nn.ReLU(), ...maybeDropout(),
    new my.nn.Linear(hidden, 2),
  );
}

export async function main({ nTrain = 60, nValidation = 1000, hidden = 128, epochs = 200, patience = 20, seed = 0, svg = 'overfitting', log = console.log } = {}) {
  const train = my.data.moons({ n: nTrain, noise: 0.3, seed });
  const validation = my.data.moons({ n: nValidation, noise: 0.3, seed: seed + 1 });
  const run = async (name, dropout, callbacks = []) => {
    my.manualSeed(seed); // the same initial weights and batches for every run
    const model = mlp(hidden, dropout);
    const history = await my.train.fit(model, {
      loss: new my.nn.CrossEntropyLoss(), optimizer: new my.optim.Adam(model.parameters(), { lr: 0.01 }),
      train: { ...train, batchSize: 20 }, validation: { ...validation, batchSize: 500 }, epochs, metrics: ['accuracy'], callbacks, progress: false,
    });
    // What the model ends up as (for early stopping: the restored best weights).
    const final = await my.train.evaluate(model, validation, { loss: my.nn.functional.crossEntropy, metrics: ['accuracy'] });
    const best = Math.min(...history.valLoss);
    log(`${name.padEnd(15)} ${history.epochs} epochs: training loss ${history.loss.at(-1).toFixed(3)}, validation loss best ${best.toFixed(3)} ` +
      `final ${final.loss.toFixed(3)}, validation accuracy ${(100 * final.accuracy).toFixed(1)} %${history.stopped ? ` (stopped: ${history.stopped})` : ''}`);
    if (svg) my.plot.history(history, `${svg}-${name.replace(/\s+/g, '-')}.svg`, { title: name });
    return { history, final, bestValLoss: best };
  };
  const plain = await run('plain', 0);
  const dropout = await run('dropout', 0.5);
  const earlyStopping = await run('early stopping', 0, [new my.train.EarlyStopping({ monitor: 'valLoss', patience, restoreBestWeights: true })]);
  return { plain, dropout, earlyStopping };
}

if (isMain(import.meta.url)) await main();
