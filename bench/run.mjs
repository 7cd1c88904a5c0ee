#!/usr/bin/env node
// `npm run bench`: myelin beside its peers, measured in the same run. A benchmark, never a
// test: it prints tables, writes bench/results/*.json and summary.md, and fails on nothing
// but a broken setup. `node bench/run.mjs --help` lists the options.
//
//   1. GEMM GFLOP/s vs OpenBLAS (bench/gemm.mjs) and the FMA peak (peers' peak.c)
//   2. per-op latency vs PyTorch (bench/ops.mjs)
//   3-4. MLP training samples/s, test accuracy and peak RSS vs PyTorch (bench/mlp.mjs, mlp_torch.py)
//   5. where a training step's time goes (bench/mlp.mjs --profile)
//   6. the targets of issue 5, pass/fail (summary.md; --readme puts it in README.md)
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOptions, USAGE } from './lib/options.mjs';
import { machineInfo } from './lib/machine.mjs';
import { findPeersDir, stagePeers } from './lib/peers.mjs';
import { gemmSection } from './lib/section-gemm.mjs';
import { opsSection } from './lib/section-ops.mjs';
import { mlpSection } from './lib/section-mlp.mjs';
import { profileSection } from './lib/section-profile.mjs';
import { summaryMarkdown, writeSummary } from './lib/summary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const o = parseOptions(process.argv.slice(2));
if (o.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!existsSync(join(root, 'dist', 'index.js'))) {
  console.error('bench/run.mjs: dist/index.js is missing; `npm install` (or `npx tsc -p tsconfig.build.json`) builds it');
  process.exit(1);
}
const outDir = resolve(o.out ?? join(root, 'bench', 'results'));
mkdirSync(outDir, { recursive: true });

const my = await import('myelin');
const ctx = {
  root, machine: machineInfo(root), backend: my.backend(), peers: null,
  resultPath: (name) => join(outDir, name), rootPath: (name) => join(root, name),
};
const written = [];
const save = (name, value) => {
  writeFileSync(ctx.resultPath(name), JSON.stringify(value, null, 1));
  written.push(name);
};

const peersDir = o.peers ? findPeersDir(root) : null;
if (o.peers && !peersDir) console.log('note: peers folder not found (set MYELIN_PEERS_DIR): myelin figures only');
if (peersDir) ctx.peers = stagePeers(peersDir, o.quietWait);
const m = ctx.machine;
console.log(`# myelin bench ${m.date}\n${m.cpu}, ${m.cores} logical cores, load ${m.loadavg.join(' ')}; Node ${m.node}; commit ${m.commit}`);
console.log(`myelin backend ${ctx.backend.name}/${ctx.backend.isa}, ${ctx.backend.threads} threads; peers: ${peersDir ?? 'none'}; ${o.runs} run(s) per figure`);

const sections = {};
try {
  if (o.only.includes('gemm')) save('peak.json', (sections.gemm = await gemmSection(o, ctx)).peak);
  if (o.only.includes('ops')) save('latency.json', (sections.ops = await opsSection(o, ctx)));
  if (o.only.includes('mlp')) {
    save('mlp.json', (sections.mlp = await mlpSection(o, ctx)));
    if (o.profile) save('profile.json', (sections.profile = await profileSection(o, ctx)));
  }
} finally {
  ctx.peers?.dispose();
}

const markdown = summaryMarkdown(o, ctx, sections);
console.log(`\n## 6. Summary\n\n${markdown}\n`);
save('bench.json', { machine: ctx.machine, backend: ctx.backend, options: { ...o, samples: String(o.samples), maxSeconds: String(o.maxSeconds) }, sections });
writeSummary(o, ctx, markdown);
console.log(`wrote ${written.join(', ')} and summary.md in ${outDir}`);
