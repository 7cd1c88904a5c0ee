// Where one training step of the natural user loop spends its time, outside the GEMM:
//   node bench/profile-step.mjs [--net big|small] [--epochs 3] [--n 8192] [--kernels] [--add]
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile-step.mjs --net small
// Synthetic data of the real shapes (784 features, 10 classes; --net tiny: 16 features). Prints samples/s per epoch
// (plain loop, nothing timed inside), then one more epoch with each phase timed by
// process.hrtime.bigint: data loading, zeroGrad, forward, loss, backward, optimizer.
// --kernels also times every backend kernel call (GEMM vs the rest) inside each phase;
// --add measures x.add(y) on 4 elements; --null-kernels makes every backend kernel a no-op,
// so what is left is the step's JavaScript and allocation overhead alone. Run it after `npx tsc -p tsconfig.build.json`.
import { PerformanceObserver } from 'node:perf_hooks';
import * as my from '../dist/index.js';
import { getBackend } from '../dist/backend/index.js';
import { foreignMeter } from './lib/load.mjs';
import { instrumentBackend } from './lib/profiler.mjs';
import { buildMlp, trainEpoch, trainEpochProfiled } from './lib/train-loop.mjs';

// tiny: the same step on 16-feature inputs, where only the per-op JavaScript overhead is left.
const NETS = {
  big: { sizes: [784, 512, 256, 10], batch: 128 },
  small: { sizes: [784, 64, 10], batch: 32 },
  tiny: { sizes: [16, 8, 10], batch: 4 },
};
const PHASES = ['data', 'zeroGrad', 'forward', 'loss', 'backward', 'step'];

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = process.argv[i + 1];
  return v === undefined || v.startsWith('--') ? true : v;
}

/** Turns every kernel into a no-op (outputs stay zero): times the step's JavaScript alone. */
function nullKernels(backend) {
  for (const name of Object.keys(backend)) {
    if (typeof backend[name] === 'function' && !['isa', 'threads', 'setNumThreads'].includes(name)) backend[name] = () => {};
  }
}

function addLatency() {
  const x = my.tensor([1, 2, 3, 4]), y = my.tensor([5, 6, 7, 8]);
  let sink = 0;
  const once = (n) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink += x.add(y).data[0];
    return Number(process.hrtime.bigint() - t0) / n / 1e3;
  };
  once(200_000);
  const runs = [once(1_000_000), once(1_000_000), once(1_000_000)].sort((a, b) => a - b);
  console.log(`x.add(y), 4 elements: ${runs[1].toFixed(3)} us (median of 3 x 1e6${sink === 0 ? '' : ''})`);
}

async function main() {
  const net = NETS[option('net', 'big')];
  if (!net) throw new Error(`--net must be one of ${Object.keys(NETS).join(', ')}`);
  const epochs = Number(option('epochs', 3)), n = Number(option('n', 8192));
  my.manualSeed(0);
  // Centred inputs and labels that a fixed random projection of x picks, so the net keeps
  // learning. With uniform [0,1) inputs most hidden units die within an epoch, and Adam's
  // moments of the dead units decay into denormals, which makes its kernel ~10x slower.
  const features = net.sizes[0];
  const x = my.randn([n, features]);
  const y = Int32Array.from(my.noGrad(() => x.matmul(my.randn([features, 10])).argmax(1)).data);
  const model = buildMlp(my, net.sizes);
  const opt = new my.optim.Adam(model.parameters(), { lr: 1e-3 });
  const loader = new my.data.DataLoader(new my.data.TensorDataset(x, y), { batchSize: net.batch, shuffle: true, seed: 0 });
  const b = my.backend();
  console.log(`${net.sizes.join('-')} batch ${net.batch}, ${n} synthetic samples, backend ${b.name}/${b.isa}, ${b.threads} threads`);
  const step = { model, opt, loader };
  if (option('null-kernels', false) === true) {
    nullKernels(getBackend());
    console.log('every kernel is a no-op: JavaScript and allocation overhead only');
  }
  const rates = [];
  for (let ep = 0; ep < epochs; ep++) {
    const t0 = performance.now();
    const load = foreignMeter();
    const count = trainEpoch(my, step).samples;
    const rate = count / ((performance.now() - t0) / 1e3);
    rates.push(rate);
    const other = load();
    console.log(`epoch ${ep}: ${rate.toFixed(0)} samples/s${other > 0.2 ? `  (other processes used ${other.toFixed(2)} cores)` : ''}`);
  }
  const best = Math.max(...rates.slice(1).length ? rates.slice(1) : rates);
  console.log(`best after warm-up: ${best.toFixed(0)} samples/s`);
  // Garbage collection inside the timed epoch: V8 reports each pause, by kind.
  const gc = { ms: 0, count: 0, major: 0 };
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.ms += e.duration;
      gc.count++;
      if (e.detail?.kind !== 1) gc.major++;  // 1 = scavenge (minor)
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const faults0 = process.resourceUsage().minorPageFault;
  const profiler = option('kernels', false) === true ? instrumentBackend(getBackend()) : null;
  const { ns, batches } = trainEpochProfiled(my, step, profiler);
  const totals = profiler?.snapshot().byPhase ?? null;
  const faults = (process.resourceUsage().minorPageFault - faults0) / batches;
  await new Promise((resolve) => setTimeout(resolve, 100));  // the observer's queued entries
  gcObserver.disconnect();
  const us = (v) => (Number(v) / batches / 1e3).toFixed(1).padStart(9);
  console.log(`\nper batch (us), one timed epoch of ${batches} batches${totals ? ', kernels timed too' : ''}:`);
  console.log(`${'phase'.padEnd(10)}${'total'.padStart(9)}${totals ? `${'GEMM'.padStart(9)}${'kernels'.padStart(9)}${'JS+rest'.padStart(9)}` : ''}`);
  let all = 0, g = 0, k = 0;
  for (const p of PHASES) {
    const t = totals?.[p] ?? { gemmNs: 0, kernelNs: 0 };
    all += ns[p], g += t.gemmNs, k += t.kernelNs;
    console.log(`${p.padEnd(10)}${us(ns[p])}${totals ? `${us(t.gemmNs)}${us(t.kernelNs)}${us(ns[p] - t.gemmNs - t.kernelNs)}` : ''}`);
  }
  console.log(`${'total'.padEnd(10)}${us(all)}${totals ? `${us(g)}${us(k)}${us(all - g - k)}` : ''}`);
  console.log(`garbage collection ${(gc.ms * 1e3 / batches).toFixed(1)} us per batch (inside the phases above): ${gc.count} pauses, ${gc.count - gc.major} minor and ${gc.major} major`);
  console.log(`page faults ${faults.toFixed(1)} per batch (fresh pages the step touches), peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  if (option('add', false) === true) addLatency();
}

await main();
