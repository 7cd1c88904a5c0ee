// Sections 3 and 4: MLP training samples/s, test accuracy and peak RSS, myelin (bench/mlp.mjs
// in a child process) beside PyTorch's mlp_torch.py, run by run in rotating order.
import { join } from 'node:path';
import { runChild, parseResultLine } from './child.mjs';
import { runTorchMlp, runTfjs } from './peers.mjs';
import { waitQuiet } from './load.mjs';
import { printTable } from './markdown.mjs';
import { fmt, fmtSummary, summarize, median } from './stats.mjs';

/** PyTorch's configurations: its best here (ATen 2, BLAS 1) and single-threaded. */
const TORCH_CONFIGS = [
  { name: 'PyTorch t2/blas1', threads: 2, blasThreads: 1 },
  { name: 'PyTorch t1', threads: 1, blasThreads: 1 },
];

function ourArgs(o, round) {
  const args = ['--nets', 'big,small', '--epochs', String(o.epochs), '--small-epochs', String(o.smallEpochs), '--seed', String(round)];
  if (Number.isFinite(o.samples)) args.push('--samples', String(o.samples));
  if (o.synthetic) args.push('--synthetic');
  if (Number.isFinite(o.maxSeconds)) args.push('--max-seconds', String(o.maxSeconds));
  return args;
}

async function runOurs(o, ctx, round) {
  await waitQuiet(o.quietWait);
  const r = await runChild(process.execPath, [join(ctx.root, 'bench', 'mlp.mjs'), ...ourArgs(o, round)], { cwd: ctx.root, prefix: '    myelin| ' });
  const res = parseResultLine(r.stdout);
  return res ?? { error: `bench/mlp.mjs exited ${r.code}: ${r.stderr.split('\n').slice(-3).join(' ')}` };
}

/** `k/n`: runs during which other processes used more than half a core in some epoch. */
function disturbedRuns(loadsPerRun) {
  return `${loadsPerRun.filter((loads) => loads.some((l) => l > 0.5)).length}/${loadsPerRun.length}`;
}

/** One row per configuration: per-run figures reduced to summaries. */
function summarizeOurs(runs) {
  const ok = runs.filter((r) => !r.error);
  const net = (name) => ok.map((r) => r.nets.find((n) => n.net === name)).filter(Boolean);
  const accAt = (list, ep) => summarize(list.map((n) => n.accuracy[ep]));
  const big = net('big'), small = net('small');
  const lastEp = (list) => (list.length ? Math.max(...Object.keys(list[0].accuracy).map(Number)) : null);
  return {
    name: `myelin (${ok[0]?.backend.name}/${ok[0]?.backend.isa}, ${ok[0]?.backend.threads} threads)`,
    threads: ok[0]?.backend.threads, source: ok[0]?.source, n_train: ok[0]?.n_train,
    big: summarize(big.map((n) => n.samples_per_s)), small: summarize(small.map((n) => n.samples_per_s)),
    bigAccEpoch: lastEp(big), bigAcc: accAt(big, lastEp(big)), bigAcc10: accAt(big, 10),
    smallAccEpoch: lastEp(small), smallAcc: accAt(small, lastEp(small)),
    rss: summarize(ok.map((r) => r.peak_rss_after_big_MiB ?? r.peak_rss_MiB)), rssAfterData: summarize(ok.map((r) => r.rss_after_data_MiB)),
    foreign: median(ok.flatMap((r) => r.nets.flatMap((n) => n.foreign_load))),
    disturbed: disturbedRuns(ok.map((r) => r.nets.flatMap((n) => n.foreign_load))),
    truncated: ok.some((r) => r.nets.some((n) => n.truncated)),
    errors: runs.filter((r) => r.error).map((r) => r.error),
  };
}

function summarizeTorch(cfg, runs, o) {
  const ok = runs.filter((r) => !r.error);
  return {
    name: cfg.name, threads: cfg.threads, blasThreads: cfg.blasThreads,
    big: summarize(ok.map((r) => r.big[0]?.samples_per_s)), small: summarize(ok.map((r) => r.small[0]?.samples_per_s)),
    bigAccEpoch: o.epochs >= 10 ? 10 : o.epochs >= 5 ? 5 : null,
    bigAcc: summarize(ok.map((r) => (o.epochs >= 10 ? r.big[0]?.acc10 : r.big[0]?.acc5) ?? NaN)),
    bigAcc10: summarize(ok.map((r) => r.big[0]?.acc10 ?? NaN)),
    smallAccEpoch: o.smallEpochs, smallAcc: summarize(ok.map((r) => r.small[0]?.acc)),
    rss: summarize(ok.map((r) => r.peak_rss_MiB)), rssAfterData: summarize(ok.map((r) => r.rss_after_data_MiB)),
    foreign: median(ok.flatMap((r) => [...r.big[0].foreign_load, ...r.small[0].foreign_load])),
    disturbed: disturbedRuns(ok.map((r) => [...r.big[0].foreign_load, ...r.small[0].foreign_load])),
    add4: summarize(ok.map((r) => r.op_add4_us?.[0])),
    errors: runs.filter((r) => r.error).map((r) => r.error),
  };
}

/** The configuration with the highest median samples/s on `net` ('big' | 'small'). */
export function bestBy(rows, net) {
  return rows.filter((r) => r[net]).reduce((a, b) => (!a || b[net].median > a[net].median ? b : a), null);
}

/** Rounds of [ours, torch configs...] in rotating order, then tfjs once; prints the tables. */
export async function mlpSection(o, ctx) {
  console.log(`\n## 3-4. MLP training (Adam lr 1e-3): ${o.epochs} epoch(s) of 784-512-256-10 b128, ${o.smallEpochs} of 784-64-10 b32; ${o.runs} run(s)`);
  const jobs = [{ key: 'ours', run: (r) => runOurs(o, ctx, r) }];
  if (ctx.peers) {
    for (const cfg of TORCH_CONFIGS) {
      jobs.push({ key: cfg.name, cfg, run: (r) => runTorchMlp(ctx.peers, { ...cfg, epochs: Math.max(2, o.epochs), smallEpochs: Math.max(2, o.smallEpochs), tag: `r${r}` }) });
    }
  }
  const results = Object.fromEntries(jobs.map((j) => [j.key, []]));
  for (let round = 0; round < o.runs; round++) {
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[(i + round) % jobs.length]; // rotate who goes first, so drift hits all alike
      console.log(`  run ${round + 1}/${o.runs}: ${job.key}`);
      results[job.key].push(await job.run(round));
    }
  }
  const ours = summarizeOurs(results.ours);
  const torch = jobs.filter((j) => j.cfg).map((j) => summarizeTorch(j.cfg, results[j.key], o));
  let tfjs = null;
  if (ctx.peers && !o.quick) {
    tfjs = await runTfjs(ctx.peers, o.full ? { epochs: 2 } : { batches: 100 });
    if (!tfjs) console.log('  note: TensorFlow.js not installed in /tmp/peers-node (see the peers README): skipped');
  }
  printMlpTables(o, ours, torch, tfjs);
  return { ours, torch, tfjs, bestBig: bestBy(torch, 'big'), bestSmall: bestBy(torch, 'small'), raw: results };
}

function printMlpTables(o, ours, torch, tfjs) {
  const acc = (s, ep) => (s ? `${fmt(s.median, 4)}${ep ? ` @${ep}` : ''}` : '-');
  const rows = [ours, ...torch].map((r) => [r.name, fmtSummary(r.big, 0), acc(r.bigAcc, r.bigAccEpoch), fmtSummary(r.small, 0),
    acc(r.smallAcc, r.smallAccEpoch), fmtSummary(r.rss, 0), fmt(r.foreign, 2)]);
  if (tfjs && !tfjs.error) {
    rows.push([`TF.js ${tfjs.tfjs} wasm (${tfjs.info?.threads ?? 1} thread)${tfjs.runs?.[0]?.batch_ms ? ', 100 batches extrapolated' : ''}`,
      fmt(tfjs.samples_per_s_median, 0), acc(summarize([tfjs.runs?.[0]?.acc?.at(-1)]), tfjs.runs?.[0]?.acc?.length), '-', '-', fmt(tfjs.maxRSS_MiB, 0), '-']);
  }
  printTable(`MLP training samples/s, median of runs (min-max); data: ${ours.source}, ${ours.n_train} train samples`,
    ['configuration', '784-512-256-10 b128', 'test acc', '784-64-10 b32', 'test acc', 'peak RSS MiB', 'foreign load'], rows);
  const bestBig = bestBy(torch, 'big'), bestSmall = bestBy(torch, 'small');
  printTable('myelin / PyTorch (its better configuration per net)', ['net', 'myelin', 'PyTorch best', 'config', 'ratio', 'target'],
    [['784-512-256-10 b128', fmt(ours.big?.median, 0), fmt(bestBig?.big.median, 0), bestBig?.name ?? '-', ratio(ours.big, bestBig?.big), '>= 3x'],
      ['784-64-10 b32', fmt(ours.small?.median, 0), fmt(bestSmall?.small.median, 0), bestSmall?.name ?? '-', ratio(ours.small, bestSmall?.small), '>= 5x']]);
  printTable('Peak RSS (ru_maxrss) of each training process, MiB, median of runs', ['configuration', 'after loading the data', 'peak after training 784-512-256-10'],
    [[ours.name, fmtSummary(ours.rssAfterData, 0), fmtSummary(ours.rss, 0)], ...torch.map((t) => [t.name, fmtSummary(t.rssAfterData, 0), fmtSummary(t.rss, 0)])]);
  console.log(`  runs with another process using > 0.5 core in some epoch: ${[ours, ...torch].map((r) => `${r.name} ${r.disturbed}`).join(', ')}`);
  if (ours.truncated) console.log(`  note: myelin's epochs were cut at --max-seconds ${o.maxSeconds}; samples/s from the samples it did train`);
  if (Number.isFinite(o.samples)) console.log(`  note: myelin trained on ${ours.n_train} samples (--samples); PyTorch on the full set`);
  for (const e of [...ours.errors, ...torch.flatMap((t) => t.errors), ...(tfjs?.error ? [tfjs.error] : [])]) console.log(`  error: ${e}`);
}

const ratio = (a, b) => (a && b ? `${(a.median / b.median).toFixed(2)}x` : '-');
