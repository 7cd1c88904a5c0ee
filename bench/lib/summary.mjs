// Section 6: every target of issue 5 with our figure, the peer's and pass/fail, as markdown
// (printed, written to bench/results/summary.md, and with --readme put into README.md).
import { openblasPeerEnv } from './openblas.mjs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { table } from './markdown.mjs';
import { fmt } from './stats.mjs';
import { ADD4_LABEL } from './section-ops.mjs';

const START = '<!-- bench:start -->', END = '<!-- bench:end -->';
const verdict = (ok) => (ok === null ? 'n/a' : ok ? 'pass' : 'FAIL');

/** One row per target: [target, myelin, peer, ratio or measure, pass/fail]. */
function targetRows(o, { gemm, ops, mlp }) {
  const rows = [];
  for (const w of gemm?.worst ?? []) {
    rows.push([`sgemm >= 1.0x OpenBLAS at every shape, ${w.threads} thread(s)`, `${fmt(w.ours)} GFLOP/s at worst shape (${w.label})`,
      `${fmt(w.theirs)} (OpenBLAS)`, `${w.ratio.toFixed(2)}x; ${w.passing}/${w.count} shapes pass`, verdict(w.ratio >= 1)]);
  }
  if (!gemm?.worst?.length) rows.push(['sgemm >= 1.0x OpenBLAS at every shape', '-', '-', '-', 'n/a']);
  const peak2 = gemm?.peak?.best?.t2?.median;
  rows.push(['sgemm 2 threads at 1024 >= 80 % of FMA peak', `${fmt(gemm?.gemm1024t2)} GFLOP/s`,
    `${fmt(gemm?.peakTarget ?? peak2)} GFLOP/s peak (2 threads ${fmt(peak2)}; ${fmt(gemm?.peak?.best?.t1?.median)}/core, ${gemm?.peak?.isa ?? '-'}${gemm?.peakDisturbed ? '; 2-thread reading disturbed' : ''})`,
    gemm?.efficiency ? `${(100 * gemm.efficiency).toFixed(1)} %` : '-', verdict(gemm?.efficiency ? gemm.efficiency >= 0.8 : null)]);
  const ours = mlp?.ours, bb = mlp?.bestBig, bs = mlp?.bestSmall;
  const speed = (label, mine, peer, cfg, target) => {
    const r = mine && peer ? mine.median / peer.median : null;
    rows.push([label, `${fmt(mine?.median, 0)} samples/s`, peer ? `${fmt(peer.median, 0)} (${cfg})` : '-', r ? `${r.toFixed(2)}x` : '-', verdict(r === null ? null : r >= target)]);
  };
  speed('MLP 784-512-256-10 b128 >= 3x PyTorch', ours?.big, bb?.big, bb?.name, 3);
  const acc10 = ours?.bigAcc10, tacc10 = bb?.bigAcc10;
  const accOk = acc10 && tacc10 ? Math.abs(acc10.median - tacc10.median) <= 0.005 : null;
  rows.push(['same test accuracy after 10 epochs (within 0.5 %)', acc10 ? fmt(acc10.median, 4) : `needs --full${ours?.bigAcc ? ` (${fmt(ours.bigAcc.median, 4)} @${ours.bigAccEpoch})` : ''}`,
    tacc10 ? fmt(tacc10.median, 4) : '-', acc10 && tacc10 ? `${(100 * (acc10.median - tacc10.median)).toFixed(2)} points` : '-', verdict(accOk)]);
  speed('MLP 784-64-10 b32 >= 5x PyTorch', ours?.small, bs?.small, bs?.name, 5);
  const add4 = ops?.ops?.[ADD4_LABEL];
  rows.push(['x.add(y) on 4 elements <= 0.3 us', add4?.ours ? `${fmt(add4.ours.median, 2)} us` : '-', add4?.torch ? `${fmt(add4.torch.median, 2)} us (PyTorch)` : '-',
    add4?.ours && add4?.torch ? `${(add4.torch.median / add4.ours.median).toFixed(2)}x faster` : '-', verdict(add4?.ours ? add4.ours.median <= 0.3 : null)]);
  const rssPeer = (mlp?.torch ?? []).filter((t) => t.rss).reduce((a, t) => (!a || t.rss.median < a.rss.median ? t : a), null);
  rows.push(['peak RSS training Fashion-MNIST <= PyTorch', ours?.rss ? `${fmt(ours.rss.median, 0)} MiB` : '-', rssPeer ? `${fmt(rssPeer.rss.median, 0)} MiB (${rssPeer.name}, its lowest)` : '-',
    ours?.rss && rssPeer ? `${(ours.rss.median / rssPeer.rss.median).toFixed(2)}x` : '-', verdict(ours?.rss && rssPeer ? ours.rss.median <= rssPeer.rss.median : null)]);
  return rows;
}

/** The summary as markdown: machine, threads, then the targets table. */
export function summaryMarkdown(o, ctx, sections) {
  const m = ctx.machine, ours = sections.mlp?.ours;
  const lines = [
    `Measured ${m.date.slice(0, 16).replace('T', ' ')} UTC on ${m.cpu} (${m.cores} logical cores), load average ${m.loadavg.join(' ')} at start; ` +
      `Node ${m.node}, commit ${m.commit}; \`npm run bench${o.argv.length ? ` -- ${o.argv.join(' ')}` : ''}\`, ${o.runs} run(s) per figure, medians, ours and the peers alternating in the same run.`,
    `Threads: myelin ${ctx.backend ? `${ctx.backend.name}/${ctx.backend.isa}, ${ctx.backend.threads}-thread pool` : '-'}; ` +
      'PyTorch 1.13 with ATen 2 / OpenBLAS 1 threads (its best here) and ATen 1 / OpenBLAS 1; GEMM peer OpenBLAS through numpy at 1 and 2 threads (PyTorch\'s fp32 matmul is the same OpenBLAS). ' +
      `${openblasPeerEnv().note}.`,
    `MLP: ${o.epochs} epoch(s) of 784-512-256-10 b128 and ${o.smallEpochs} of 784-64-10 b32 per run, samples/s from the median epoch after the first; data: ${ours?.source ?? '-'}.` +
      (ours ? ` Runs beside > 0.5 core of other processes' load: ${[ours, ...(sections.mlp.torch ?? [])].map((r) => `${r.name.split(' (')[0]} ${r.disturbed}`).join(', ')}.` : ''),
    '',
    table(['target (issue 5)', 'myelin', 'peer', 'ratio / measure', 'result'], targetRows(o, sections)),
  ];
  return lines.join('\n');
}

/** Writes summary.md and, with --readme, replaces the README section between the markers. */
export function writeSummary(o, ctx, markdown) {
  writeFileSync(ctx.resultPath('summary.md'), `${markdown}\n`);
  if (!o.readme) return;
  const readme = ctx.rootPath('README.md');
  let text = existsSync(readme) ? readFileSync(readme, 'utf8') : '';
  const block = `${START}\n${markdown}\n${END}`;
  if (text.includes(START) && text.includes(END)) {
    text = text.slice(0, text.indexOf(START)) + block + text.slice(text.indexOf(END) + END.length);
  } else {
    text = `${text.trimEnd()}\n\n## Speed\n\n${block}\n`;
  }
  writeFileSync(readme, text);
  console.log(`updated the "## Speed" section of ${readme}`);
}
