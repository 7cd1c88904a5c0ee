// Where splitting the elementwise kernels over the pool pays: each kernel at a range of
// sizes, 1 thread vs 2, median us of alternating runs (the split thresholds in
// native/kernels are chosen from this).
//   node bench/elementwise-threads.mjs [--root <package dir with build/Release/myelin.node>]
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const i = process.argv.indexOf('--root');
const root = i > 0 ? process.argv[i + 1] : join(dirname(fileURLToPath(import.meta.url)), '..');
const addon = require('node-gyp-build')(root);

const rand = (n) => Float32Array.from({ length: n }, () => Math.random() * 2 - 1);
const KERNELS = {
  adam: (n) => {
    const [w, g, m, v] = [rand(n), rand(n), rand(n), rand(n).map(Math.abs)];
    return () => addon.adamUpdate(w, g, m, v, null, 1e-3, 0.7, 0.9, 0.999, 1e-8, 0, 1, 1);
  },
  sgd: (n) => {
    const [w, g, b] = [rand(n), rand(n), rand(n)];
    return () => addon.sgdUpdate(w, g, b, 0.01, 0.9, 0, 0, 1, false, false);
  },
  reluBackward: (n) => {
    const [dy, y, out] = [rand(n), rand(n).map(Math.abs), new Float32Array(n)];
    return () => addon.activationBackward('relu', 0, dy, y, null, out);
  },
  geluBackward: (n) => {
    const [dy, x, out] = [rand(n), rand(n), new Float32Array(n)];
    return () => addon.activationBackward('gelu', 0, dy, null, x, out);
  },
  // n is rows x columns at 128 rows (the MLP's batch).
  biasGrad: (n) => {
    const cols = Math.max(1, Math.round(n / 128)), dy = rand(128 * cols), out = new Float32Array(cols);
    return () => addon.biasGrad(dy, 128, cols, out);
  },
};

function usPerCall(fn) {
  let reps = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let r = 0; r < reps; r++) fn();
    const ns = Number(process.hrtime.bigint() - t0);
    if (ns > 2e6) return ns / reps / 1e3;
    reps *= 2;
  }
}

const sizes = [4096, 8192, 16384, 32768, 65536, 131072, 401408];
console.log(`isa ${addon.info().isa}; us per call, median of 5 alternating 1-/2-thread runs`);
console.log(`${'kernel'.padEnd(14)}${'n'.padStart(8)}${'1 thr'.padStart(9)}${'2 thr'.padStart(9)}${'ratio'.padStart(7)}`);
for (const [name, make] of Object.entries(KERNELS)) {
  for (const n of sizes) {
    const fn = make(n), runs = { 1: [], 2: [] };
    for (let r = 0; r < 5; r++) {
      for (const t of [1, 2]) {
        addon.setNumThreads(t);
        fn();
        runs[t].push(usPerCall(fn));
      }
    }
    const med = (a) => a.sort((x, y) => x - y)[2];
    const [a, b] = [med(runs[1]), med(runs[2])];
    console.log(`${name.padEnd(14)}${String(n).padStart(8)}${a.toFixed(2).padStart(9)}${b.toFixed(2).padStart(9)}${(a / b).toFixed(2).padStart(7)}`);
  }
}
