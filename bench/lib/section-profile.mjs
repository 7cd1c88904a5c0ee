// Section 5: where one training step's time goes, from `bench/mlp.mjs --profile`: each phase
// timed per batch, and backend kernel time (GEMM vs the rest) attributed to the phases.
import { join } from 'node:path';
import { runChild, parseResultLine } from './child.mjs';
import { printTable } from './markdown.mjs';
import { fmt } from './stats.mjs';

const PHASES = ['data', 'zeroGrad', 'forward', 'loss', 'backward', 'step'];

/** GEMM, other kernels, optimizer step and JavaScript/other, in ms per batch, for one net. */
export function breakdown(net) {
  const per = (ns) => ns / net.timed.batches / 1e6;
  const phases = net.kernels.byPhase;
  let gemm = 0, kernels = 0;
  for (const [p, b] of Object.entries(phases)) if (p !== 'step') gemm += b.gemmNs, kernels += b.kernelNs;
  const total = Object.values(net.timed.ns).reduce((a, b) => a + b, 0);
  const step = net.timed.ns.step;
  const plainTotal = Object.values(net.plain.ns).reduce((a, b) => a + b, 0);
  return {
    totalMs: per(total), plainTotalMs: plainTotal / net.plain.batches / 1e6,
    gemmMs: per(gemm), kernelsMs: per(kernels), optimizerMs: per(step), jsMs: per(total - gemm - kernels - step),
  };
}

function printNet(net) {
  const per = (ns, n = net.timed.batches) => fmt(ns / n / 1e6, 3);
  const title = `${net.sizes.join('-')} b${net.batch}: ms per batch over ${net.timed.batches} batches`;
  const rows = PHASES.map((p) => {
    const k = net.kernels.byPhase[p] ?? { gemmNs: 0, kernelNs: 0 };
    const t = net.timed.ns[p];
    return [p, per(net.plain.ns[p], net.plain.batches), per(t), per(k.gemmNs), per(k.kernelNs), per(t - k.gemmNs - k.kernelNs)];
  });
  const b = breakdown(net);
  const all = Object.values(net.kernels.byPhase).reduce((a, k) => [a[0] + k.gemmNs, a[1] + k.kernelNs], [0, 0]);
  const total = Object.values(net.timed.ns).reduce((a, x) => a + x, 0);
  rows.push(['total', fmt(b.plainTotalMs, 3), per(total), per(all[0]), per(all[1]), per(total - all[0] - all[1])]);
  printTable(`Profile ${title} (uninstrumented, then with every kernel timed)`,
    ['phase', 'plain', 'instrumented', 'in GEMM kernels', 'in other kernels', 'JS and rest'], rows);
  const pct = (x) => `${fmt(x, 3)} ms (${((100 * x) / b.totalMs).toFixed(1)} %)`;
  printTable(`Where a ${net.sizes.join('-')} step goes`, ['GEMM (incl. fused bias+act epilogues)', 'elementwise / fused kernels', 'optimizer step', 'JavaScript overhead'],
    [[pct(b.gemmMs), pct(b.kernelsMs), pct(b.optimizerMs), pct(b.jsMs)]]);
  const kernels = Object.entries(net.kernels.byKernel).sort((x, y) => y[1].ns - x[1].ns);
  printTable(`Kernels of the ${net.sizes.join('-')} step`, ['kernel', 'calls/batch', 'us/call', 'ms/batch'],
    kernels.map(([k, v]) => [k, fmt(v.calls / net.timed.batches, 1), fmt(v.ns / v.calls / 1e3, 2), per(v.ns)]));
}

/** Runs the profiled training child and prints its tables; returns per-net breakdowns. */
export async function profileSection(o, ctx) {
  console.log('\n## 5. Where a training step goes (bench/mlp.mjs --profile)');
  const args = [join(ctx.root, 'bench', 'mlp.mjs'), '--nets', 'big,small', '--profile', '--batches', String(o.quick ? 10 : 300), '--warm-batches', String(o.quick ? 0 : 3500)];
  if (Number.isFinite(o.samples)) args.push('--samples', String(o.samples));
  if (o.synthetic) args.push('--synthetic');
  const r = await runChild(process.execPath, args, { cwd: ctx.root, prefix: '    profile| ' });
  const res = parseResultLine(r.stdout);
  if (!res) {
    console.log(`  error: bench/mlp.mjs --profile exited ${r.code}: ${r.stderr.split('\n').slice(-3).join(' ')}`);
    return null;
  }
  console.log(`  backend ${res.backend.name}/${res.backend.isa}, ${res.backend.threads} threads; timing each kernel call adds ~0.1 us per call`);
  for (const net of res.nets) printNet(net);
  return { backend: res.backend, nets: res.nets.map((n) => ({ net: n.net, sizes: n.sizes, batch: n.batch, ...breakdown(n), raw: n })) };
}
