// Section 2: per-op latency, from bench/ops.mjs (owned by the ops engineer; it measures
// myelin then PyTorch in one run). We run it `runs` times and take medians of its medians.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runChild } from './child.mjs';
import { printTable } from './markdown.mjs';
import { fmtSummary, summarize } from './stats.mjs';

export const ADD4_LABEL = 'x.add(y), 4 elements';
const ROW = /^(.*?)\s+myelin\s+([\d.]+) us \(([\d.]+)-([\d.]+)\)(?:\s+torch\s+([\d.]+) us \(([\d.]+)-([\d.]+)\))?\s*$/;

/** { label: { ours, torch } } medians (us) from one ops.mjs stdout; header lines kept apart. */
export function parseOpsOutput(stdout) {
  const rows = {}, header = [];
  for (const line of stdout.split('\n')) {
    const m = line.match(ROW);
    if (m) rows[m[1].trim()] = { ours: +m[2], torch: m[5] === undefined ? null : +m[5] };
    else if (line.startsWith('myelin ')) header.push(line.trim());
  }
  return { rows, header };
}

/** Runs bench/ops.mjs `runs` times; per op the median over runs of ours and PyTorch's. */
export async function opsSection(o, ctx) {
  console.log('\n## 2. Per-op latency (bench/ops.mjs)');
  const script = join(ctx.root, 'bench', 'ops.mjs');
  if (!existsSync(script)) {
    console.log('  note: bench/ops.mjs is missing: no per-op figures');
    return { ops: {}, notes: ['bench/ops.mjs missing'] };
  }
  const perRun = [], notes = [];
  let header = [];
  for (let r = 0; r < o.runs; r++) {
    const res = await runChild(process.execPath, [script, ...(o.peers ? [] : ['--no-peer'])], { cwd: ctx.root, prefix: '    ops| ' });
    if (res.code !== 0) { notes.push(`bench/ops.mjs exited ${res.code}`); continue; }
    const parsed = parseOpsOutput(res.stdout);
    perRun.push(parsed.rows);
    header = parsed.header;
  }
  const ops = {};
  for (const label of Object.keys(perRun[0] ?? {})) {
    ops[label] = {
      ours: summarize(perRun.map((x) => x[label]?.ours)),
      torch: summarize(perRun.map((x) => x[label]?.torch)),
    };
  }
  printTable(`Per-op latency, us: median over ${perRun.length} run(s) of ops.mjs's medians (min-max); ${header.join('; ')}`,
    ['op', 'myelin', 'PyTorch', 'PyTorch / myelin'],
    Object.entries(ops).map(([label, v]) => [label, fmtSummary(v.ours, 2), fmtSummary(v.torch, 2),
      v.ours && v.torch ? `${(v.torch.median / v.ours.median).toFixed(2)}x` : '-']));
  for (const n of notes) console.log(`  note: ${n}`);
  return { ops, header, notes };
}
