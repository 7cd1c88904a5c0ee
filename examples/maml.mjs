// MAML (Finn et al., 2017) on sine-wave regression. The inner step adapts the weights to one
// task, θ' = θ − α∇L_support(θ); the meta-loss L_query(θ') depends on θ through that
// gradient, so its gradient needs second derivatives: autograd.grad with createGraph.
// The example checks the meta-gradient against finite differences, shows how far the
// first-order approximation (which drops the Hessian term) is from it, then meta-trains.
// Run: npm run build:ts && node examples/maml.mjs
import * as my from 'myelin';
import { isMain } from './lib/run.mjs';

const F = my.nn.functional;
const opts64 = { dtype: 'float64' };

/** θ = [W1, b1, W2, b2] of a 1-h-1 tanh network, PyTorch-style uniform init. */
function initParams(hidden) {
  const u = (shape, bound) => my.rand(shape, opts64).mul(2 * bound).sub(bound);
  return [u([hidden, 1], 1), u([hidden], 1), u([1, hidden], 1 / Math.sqrt(hidden)), u([1], 1 / Math.sqrt(hidden))]
    .map((t) => ((t.requiresGrad = true), t));
}

/** The network as a function of explicit weights, so the adapted weights θ' can be used. */
function net([w1, b1, w2, b2], x) {
  return x.matmul(w1.T).add(b1).tanh().matmul(w2.T).add(b2);
}

/** A task: y = A sin(x − φ); support and query points drawn from [-5, 5]. */
function sampleTask(k) {
  const amplitude = 0.1 + 4.9 * my.rand([1]).item(), phase = Math.PI * my.rand([1]).item();
  const draw = () => {
    const x = my.rand([k, 1], opts64).mul(10).sub(5);
    return { x, y: x.sub(phase).sin().mul(amplitude) };
  };
  return { support: draw(), query: draw() };
}

/** Query loss after one inner step; `firstOrder` cuts the graph through the inner gradient. */
function adaptedLoss(params, task, innerLr, firstOrder = false) {
  const supportLoss = F.mseLoss(net(params, task.support.x), task.support.y);
  const grads = my.autograd.grad(supportLoss, params, { createGraph: !firstOrder });
  const adapted = params.map((p, i) => p.sub(grads[i].mul(innerLr)));
  return F.mseLoss(net(adapted, task.query.x), task.query.y);
}

/** Central differences of the meta-loss by a few coordinates of W1, with the inner step recomputed each time. */
function finiteDifferences(params, task, innerLr, coords, eps = 1e-6) {
  return coords.map((j) => {
    const at = (delta) => {
      my.noGrad(() => (params[0].data[j] += delta));
      const value = adaptedLoss(params, task, innerLr).item();
      my.noGrad(() => (params[0].data[j] -= delta));
      return value;
    };
    return (at(eps) - at(-eps)) / (2 * eps);
  });
}

export async function main({ hidden = 32, k = 10, innerLr = 0.01, metaSteps = 2000, metaBatch = 4, seed = 0, log = console.log } = {}) {
  my.manualSeed(seed);
  const params = initParams(hidden);

  // 1. The second-order meta-gradient is exact; the first-order one is not.
  const task = sampleTask(k);
  const exact = my.autograd.grad(adaptedLoss(params, task, innerLr), params)[0];
  const firstOrder = my.autograd.grad(adaptedLoss(params, task, innerLr, true), params)[0];
  const coords = [0, 1, 2, 3, 4];
  const numeric = finiteDifferences(params, task, innerLr, coords);
  const secondOrderError = Math.max(...coords.map((j, i) => Math.abs(exact.data[j] - numeric[i])));
  const firstOrderError = Math.max(...coords.map((j, i) => Math.abs(firstOrder.data[j] - numeric[i])));
  log(`meta-gradient vs finite differences: second order ${secondOrderError.toExponential(2)}, first order ${firstOrderError.toExponential(2)}`);

  // 2. Meta-training: θ learns an initialisation from which one step fits a new sine.
  const evalTasks = Array.from({ length: 20 }, () => sampleTask(k));
  const evaluate = () => evalTasks.reduce((s, t) => s + adaptedLoss(params, t, innerLr).item(), 0) / evalTasks.length;
  const before = evaluate();
  const optimizer = new my.optim.Adam(params, { lr: 0.001 });
  for (let step = 0; step < metaSteps; step++) {
    optimizer.zeroGrad();
    let meta = adaptedLoss(params, sampleTask(k), innerLr);
    for (let b = 1; b < metaBatch; b++) meta = meta.add(adaptedLoss(params, sampleTask(k), innerLr));
    meta.div(metaBatch).backward();
    optimizer.step();
  }
  const after = evaluate();
  log(`post-adaptation query MSE on 20 new tasks: ${before.toFixed(3)} before meta-training, ${after.toFixed(3)} after ${metaSteps} meta-steps`);
  return { secondOrderError, firstOrderError, before, after };
}

if (isMain(import.meta.url)) await main();
