#!/usr/bin/env node
// One myelin MLP training process for the bench (run.mjs starts it as a child, so the peak
// RSS it reports is its own). Mirrors /work/shared/peers/mlp_torch.py: the 784-512-256-10
// net at batch 128, then 784-64-10 at batch 32, Adam(lr 1e-3), reshuffled every epoch;
// samples/s from the median epoch excluding the first. A benchmark, never a test.
//
//   node bench/mlp.mjs --nets big,small --epochs 2 --small-epochs 2 [--seed 0] [--threads 2]
//   node bench/mlp.mjs --nets big --profile --batches 100 [--warm-batches 3500]  # where one step's time goes
//   node bench/mlp.mjs --samples 512 --synthetic               # tiny smoke run
//
// The last stdout line is `RESULT {json}`.
import * as my from 'myelin';
import { loadTrainingData } from './lib/fashion.mjs';
import { buildMlp, makeLoader, trainEpoch, trainEpochProfiled, accuracy } from './lib/train-loop.mjs';
import { foreignMeter } from './lib/load.mjs';
import { median } from './lib/stats.mjs';

const NETS = {
  big: { sizes: [784, 512, 256, 10], batch: 128 },
  small: { sizes: [784, 64, 10], batch: 32 },
};

function parseArgs(argv) {
  const o = { nets: ['big', 'small'], epochs: 2, smallEpochs: null, seed: 0, samples: Infinity, synthetic: false, threads: null, profile: false, batches: 100, warmBatches: 3500, evalAt: [5, 10], maxSeconds: Infinity };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = argv[i + 1];
    const num = () => { const x = Number(v); if (!Number.isInteger(x) || x < 0) throw new Error(`bench/mlp.mjs: ${a} needs a non-negative integer, got '${v}'`); i++; return x; };
    if (a === '--nets') o.nets = v.split(','), i++;
    else if (a === '--epochs') o.epochs = num();
    else if (a === '--warm-batches') o.warmBatches = num();
    else if (a === '--small-epochs') o.smallEpochs = num();
    else if (a === '--seed') o.seed = num();
    else if (a === '--samples') o.samples = num();
    else if (a === '--threads') o.threads = num();
    else if (a === '--batches') o.batches = num();
    else if (a === '--max-seconds') o.maxSeconds = num() || Infinity;
    else if (a === '--eval-at') o.evalAt = v.split(',').map(Number), i++;
    else if (a === '--synthetic') o.synthetic = true;
    else if (a === '--profile') o.profile = true;
    else throw new Error(`bench/mlp.mjs: unknown option '${a}'`);
  }
  for (const n of o.nets) if (!NETS[n]) throw new Error(`bench/mlp.mjs: --nets takes big,small; got '${n}'`);
  if (o.epochs < 1) throw new Error('bench/mlp.mjs: --epochs must be >= 1');
  return o;
}

const mib = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** Trains one net for `epochs`; epoch times, samples/s, test accuracy at the listed epochs. */
function trainNet(name, data, epochs, o) {
  const { sizes, batch } = NETS[name];
  my.manualSeed(o.seed);
  const model = buildMlp(my, sizes);
  const opt = new my.optim.Adam(model.parameters(), { lr: 1e-3 });
  const loader = makeLoader(my, data.train, batch, o.seed);
  const epochS = [], samples = [], foreign = [], acc = {};
  const deadline = performance.now() + o.maxSeconds * 1e3;
  let lastLoss = NaN, ep = 1;
  for (; ep <= epochs; ep++) {
    const meter = foreignMeter(), t0 = performance.now();
    const r = trainEpoch(my, { model, opt, loader }, deadline);
    lastLoss = r.loss;
    samples.push(r.samples);
    epochS.push((performance.now() - t0) / 1e3);
    foreign.push(+meter().toFixed(2));
    if (ep === epochs || o.evalAt.includes(ep)) acc[ep] = accuracy(my, model, data.test);
    console.log(`  myelin ${sizes.join('-')} b${batch} epoch ${ep}: ${epochS.at(-1).toFixed(2)} s, foreign load ${foreign.at(-1)}` +
      (acc[ep] !== undefined ? `, test acc ${acc[ep].toFixed(4)}` : '') +
      (r.samples < data.train.n ? ` (stopped after ${r.samples} samples: --max-seconds ${o.maxSeconds})` : ''));
    if (performance.now() > deadline) break;
  }
  if (!(ep > epochs) && acc[ep] === undefined) acc[ep] = accuracy(my, model, data.test);
  // Samples/s from the median epoch after the first (the first pays JIT and allocation warm-up).
  const rates = epochS.map((s, i) => samples[i] / s);
  const rate = median(rates.length > 1 ? rates.slice(1) : rates);
  const truncated = samples.length < epochs || samples.some((n) => n < data.train.n);
  return { net: name, sizes, batch, epochs: epochS.length, epoch_s: epochS, epoch_samples: samples, samples_per_s: rate, truncated,
    accuracy: acc, foreign_load: foreign, last_loss: lastLoss };
}

/**
 * Warm-up until the JIT has settled, then `batches` profiled batches of the net; phase and
 * kernel times. V8 optimises a function after a budget of its own bytecode has run, so the
 * step's once-per-batch functions (Adam's step, Sequential's forward, the loss) reach
 * optimised code only after ~3000 batches: the small net's step takes ~4x its steady-state
 * time at first and ~1.2x after 2000 batches. The warm-up is 2 s and at least --warm-batches
 * batches (default 3500; --quick runs pass 0).
 */
async function profileNet(name, data, o) {
  const { getBackend } = await import('../dist/backend/index.js');
  const { instrumentBackend } = await import('./lib/profiler.mjs');
  const { sizes, batch } = NETS[name];
  my.manualSeed(o.seed);
  const model = buildMlp(my, sizes);
  const opt = new my.optim.Adam(model.parameters(), { lr: 1e-3 });
  const loader = makeLoader(my, data.train, batch, o.seed);
  const warmUntil = performance.now() + 2000;
  for (let warmed = 0; warmed < o.warmBatches || performance.now() < warmUntil;) warmed += trainEpochProfiled(my, { model, opt, loader }, null, 100).batches;
  // Plain timing first (no kernel wrappers), then the same batches with kernels timed.
  const plain = trainEpochProfiled(my, { model, opt, loader }, null, o.batches);
  const profiler = instrumentBackend(getBackend());
  try {
    const timed = trainEpochProfiled(my, { model, opt, loader }, profiler, o.batches);
    return { net: name, sizes, batch, plain, timed, kernels: profiler.snapshot() };
  } finally {
    profiler.restore();
  }
}

const o = parseArgs(process.argv.slice(2));
if (o.threads) my.setNumThreads(o.threads);
const info = my.backend();
const data = loadTrainingData(my, { samples: o.samples, synthetic: o.synthetic });
const result = {
  backend: info, source: data.source, n_train: data.train.n, n_test: data.test.n, seed: o.seed,
  rss_after_data_MiB: mib(), nets: [],
};
console.log(`  myelin ${info.name}/${info.isa}, ${info.threads} threads; ${data.source}, ${data.train.n} train / ${data.test.n} test`);
for (const name of o.nets) {
  if (o.profile) result.nets.push(await profileNet(name, data, o));
  else result.nets.push(trainNet(name, data, name === 'small' && o.smallEpochs ? o.smallEpochs : o.epochs, o));
  if (name === 'big') result.peak_rss_after_big_MiB = mib();
}
result.peak_rss_MiB = mib();
console.log(`RESULT ${JSON.stringify(result)}`);
