// The Gabor model of the lectures, f[x, φ] = sin(φ0 + 0.06 φ1 x) · exp(−(φ0 + 0.06 φ1 x)² / 8),
// has a non-convex least-squares loss: full-batch gradient descent lands in different minima
// depending on where it starts, while stochastic gradient descent (mini-batches of 5, so the
// landscape changes every step) escapes some of the poor ones.
// Run: npm run build:ts && node examples/gabor.mjs
import * as my from 'myelin';
import { isMain } from './lib/run.mjs';

const opts64 = { dtype: 'float64' };

/** The model for a batch of x given φ = [φ0, φ1]. */
function gabor(phi, x) {
  const z = phi.narrow(0, 0, 1).add(x.mul(phi.narrow(0, 1, 1)).mul(0.06));
  return z.sin().mul(z.square().div(-8).exp());
}

/** L[φ] = mean (f[x_i, φ] − y_i)² (a mean, so full and mini-batch steps are on the same scale). */
function loss(phi, x, y) {
  return gabor(phi, x).sub(y).square().mean();
}

/** 28 noisy samples of the model at φ* = (0, 16.6), x uniform in [-15, 15]. */
function makeData(seed) {
  my.manualSeed(seed);
  const x = my.rand([28], opts64).mul(30).sub(15);
  const y = my.noGrad(() => gabor(my.tensor([0, 16.6], opts64), x).add(my.randn([28], opts64).mul(0.1)));
  return { x, y };
}

/**
 * Descends from `start` through `loader`'s batches (all 28 points at once for gradient
 * descent), the rate shrinking by `gamma` each epoch.
 */
function descend(start, loader, { epochs, lr, gamma = 1 }) {
  const phi = my.tensor(start, { ...opts64, requiresGrad: true });
  const optimizer = new my.optim.SGD([phi], { lr });
  const scheduler = new my.optim.lrScheduler.ExponentialLR(optimizer, { gamma });
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const [xb, yb] of loader) {
      optimizer.zeroGrad();
      loss(phi, xb, yb).backward();
      optimizer.step();
    }
    scheduler.step();
  }
  return phi.toArray();
}

export async function main({ starts = [[0, 4], [-4, 19], [2, 7], [1, 14]], epochs = 600, seed = 0, log = console.log } = {}) {
  const { x, y } = makeData(seed);
  const data = new my.data.TensorDataset(x, y);
  const lossAt = (phi) => loss(my.tensor(phi, opts64), x, y).item();
  const results = starts.map((start, i) => {
    const gd = descend(start, new my.data.DataLoader(data, { batchSize: 28 }), { epochs, lr: 1 });
    // Batches of 4 reshuffled every epoch: a noisy, changing landscape, cooled down by gamma.
    const sgd = descend(start, new my.data.DataLoader(data, { batchSize: 4, shuffle: true, seed: seed + i }), { epochs, lr: 2, gamma: 0.99 });
    const r = { start, gd: { phi: gd, loss: lossAt(gd) }, sgd: { phi: sgd, loss: lossAt(sgd) } };
    const show = (p) => `(${p.phi.map((v) => v.toFixed(2)).join(', ')}) L = ${p.loss.toFixed(4)}`;
    log(`start (${start.join(', ')}): gradient descent → ${show(r.gd)}; SGD → ${show(r.sgd)}`);
    return r;
  });
  return { results, trueLoss: lossAt([0, 16.6]) };
}

if (isMain(import.meta.url)) await main();
