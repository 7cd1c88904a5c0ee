// The perceptron learning algorithm (Rosenblatt): on linearly separable data, adding y·x for
// every misclassified point converges after at most (R/γ)² updates (Novikoff's bound), where
// R bounds |x| and γ is the margin of a separating unit vector.
// Run: npm run build:ts && node examples/perceptron.mjs
import * as my from 'myelin';
import { isMain } from './lib/run.mjs';

/** Points in the unit square labelled ±1 by a hidden line, keeping only those at least `margin` from it. */
function separableData(n, margin) {
  const normal = [0.6, -0.8], offset = 0.1; // unit normal: the hidden separator is normal·p = offset
  const points = [], labels = [];
  while (points.length < n) {
    const p = my.rand([2]).mul(2).sub(1).toArray();
    const side = normal[0] * p[0] + normal[1] * p[1] - offset;
    if (Math.abs(side) < margin) continue;
    points.push([p[0], p[1], 1]); // the constant 1 carries the bias
    labels.push(Math.sign(side));
  }
  return { x: my.tensor(points, { dtype: 'float64' }), y: labels, normal, offset };
}

export async function main({ n = 100, margin = 0.1, maxEpochs = 1000, seed = 0, log = console.log } = {}) {
  my.manualSeed(seed);
  const { x, y, normal, offset } = separableData(n, margin);
  let w = my.zeros([3], { dtype: 'float64' });
  let updates = 0, epochs = 0;
  for (; epochs < maxEpochs; epochs++) {
    let mistakes = 0;
    for (let i = 0; i < n; i++) {
      const xi = x.narrow(0, i, 1).reshape(3);
      if (y[i] * w.mul(xi).sum().item() <= 0) {
        w = w.add(xi.mul(y[i]));
        mistakes++;
      }
    }
    updates += mistakes;
    if (mistakes === 0) break;
  }
  const predictions = x.matmul(w.reshape(3, 1)).reshape(n).toArray().map(Math.sign);
  const accuracy = predictions.filter((p, i) => p === y[i]).length / n;
  // Novikoff: the hidden separator (normal, -offset) scaled to unit length in the augmented space.
  const u = [normal[0], normal[1], -offset], uNorm = Math.hypot(...u);
  const rows = x.toArray();
  const gamma = Math.min(...rows.map((r, i) => (y[i] * (u[0] * r[0] + u[1] * r[1] + u[2] * r[2])) / uNorm));
  const radius = Math.max(...rows.map((r) => Math.hypot(...r)));
  const bound = (radius / gamma) ** 2;
  log(`converged after ${epochs + 1} epochs and ${updates} updates (Novikoff bound ${bound.toFixed(0)}); accuracy ${(100 * accuracy).toFixed(0)} %`);
  log(`w = [${w.toArray().map((v) => v.toFixed(3)).join(', ')}]`);
  return { epochs: epochs + 1, updates, bound, accuracy, converged: epochs < maxEpochs, w: w.toArray() };
}

if (isMain(import.meta.url)) await main();
