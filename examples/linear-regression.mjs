// Linear regression two ways: the normal equations W = (XᵀX)⁻¹XᵀY solved exactly with
// my.linalg.solve, and gradient descent on the mean squared error, which walks to the same W.
// Run: npm run build:ts && node examples/linear-regression.mjs
import * as my from 'myelin';
import { isMain } from './lib/run.mjs';

/** n noisy samples of y = 2 x0 - 3 x1 + 0.5 x2 + 1. */
function makeData(n) {
  const x = my.randn([n, 3], { dtype: 'float64' });
  const trueW = my.tensor([[2], [-3], [0.5]], { dtype: 'float64' });
  const y = x.matmul(trueW).add(1).add(my.randn([n, 1], { dtype: 'float64' }).mul(0.1));
  return { x, y };
}

export async function main({ n = 200, steps = 500, lr = 0.1, seed = 0, log = console.log } = {}) {
  my.manualSeed(seed);
  const { x, y } = makeData(n);

  // Normal equations on [x, 1] so the intercept is the last weight.
  const X = my.concat([x, my.ones([n, 1], { dtype: 'float64' })], 1);
  const exact = my.linalg.solve(X.T.matmul(X), X.T.matmul(y));
  const exactLoss = my.nn.functional.mseLoss(X.matmul(exact), y).item();

  // Gradient descent on the same loss with a Linear layer (weight [1, 3], bias [1]).
  const model = new my.nn.Linear(3, 1, { dtype: 'float64' });
  const optimizer = new my.optim.SGD(model.parameters(), { lr });
  const losses = [];
  for (let step = 0; step < steps; step++) {
    optimizer.zeroGrad();
    const loss = my.nn.functional.mseLoss(model.forward(x), y);
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
  }
  const descended = [...model.weight.data, model.bias.data[0]];
  const maxDifference = Math.max(...descended.map((w, i) => Math.abs(w - exact.data[i])));
  const gdLoss = my.nn.functional.mseLoss(model.forward(x), y).item();
  log(`normal equations: w = [${[...exact.data].map((v) => v.toFixed(4)).join(', ')}], mse ${exactLoss.toExponential(4)}`);
  log(`gradient descent: w = [${descended.map((v) => v.toFixed(4)).join(', ')}], mse ${gdLoss.toExponential(4)} after ${steps} steps`);
  log(`largest difference ${maxDifference.toExponential(2)}`);
  return { exact: [...exact.data], descended, exactLoss, gdLoss, maxDifference, losses };
}

if (isMain(import.meta.url)) await main();
