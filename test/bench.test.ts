// Smoke test of the benchmark suite (bench/run.mjs): it runs end to end on a small subset and
// writes well-formed results. Figures are timings, so nothing here asserts on speed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLES = 256;
const lib = (name: string): Promise<any> => import(`../bench/lib/${name}.mjs`);
const tempDirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'myelin-bench-test-'));
  tempDirs.push(d);
  return d;
};

beforeAll(() => {
  // The bench imports the built package (dist/), as a user's script would after npm install.
  if (!existsSync(join(root, 'dist', 'index.js'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root });
}, 180_000);
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

const positive = (x: unknown) => {
  expect(typeof x).toBe('number');
  expect(x as number).toBeGreaterThan(0);
};

describe.each(availableBackends())('bench/run.mjs --quick --only mlp [%s]', (backend) => {
  let out = '';
  let stdout = '';
  beforeAll(() => {
    out = tempDir();
    stdout = execFileSync(process.execPath, ['bench/run.mjs', '--quick', '--only', 'mlp', '--no-peers', '--samples', String(SAMPLES), '--synthetic', '--out', out],
      { cwd: root, encoding: 'utf8', env: { ...process.env, MYELIN_BACKEND: backend } });
  }, 120_000);
  const read = (name: string) => JSON.parse(readFileSync(join(out, name), 'utf8'));

  it('trains both MLPs on the subset and reports positive samples/s, accuracy and RSS', () => {
    const mlp = read('mlp.json');
    expect(mlp.raw.ours).toHaveLength(1);
    const run = mlp.raw.ours[0];
    expect(run.backend.name).toBe(backend);
    expect(run.n_train).toBe(SAMPLES);
    expect(run.source).toMatch(/synthetic/);
    expect(run.nets.map((n: any) => n.sizes.join('-'))).toEqual(['784-512-256-10', '784-64-10']);
    for (const net of run.nets) {
      expect(net.epoch_samples).toEqual([SAMPLES]);
      net.epoch_s.forEach(positive);
      positive(net.samples_per_s);
      expect(net.samples_per_s).toBeCloseTo(SAMPLES / net.epoch_s[0], 6);
      const acc = net.accuracy['1'];
      expect(acc).toBeGreaterThanOrEqual(0);
      expect(acc).toBeLessThanOrEqual(1);
      expect(Number.isFinite(net.last_loss)).toBe(true);
    }
    positive(mlp.ours.big.median);
    positive(mlp.ours.small.median);
    positive(mlp.ours.rss.median);
    expect(mlp.ours.threads).toBe(run.backend.threads);
    expect(mlp.torch).toEqual([]); // --no-peers
  });

  it('profiles a step: the four shares add up to the step time', () => {
    const profile = read('profile.json');
    expect(profile.backend.name).toBe(backend);
    expect(profile.nets).toHaveLength(2);
    for (const net of profile.nets) {
      positive(net.totalMs);
      positive(net.plainTotalMs);
      positive(net.gemmMs); // every Linear runs a GEMM
      positive(net.optimizerMs);
      expect(net.kernelsMs).toBeGreaterThanOrEqual(0);
      expect(net.gemmMs + net.kernelsMs + net.optimizerMs + net.jsMs).toBeCloseTo(net.totalMs, 9);
      expect(net.raw.timed.batches).toBe(SAMPLES / net.batch);
      for (const phase of ['data', 'zeroGrad', 'forward', 'loss', 'backward', 'step']) expect(net.raw.timed.ns[phase]).toBeGreaterThanOrEqual(0);
    }
  });

  it('writes the summary with every target of issue 5 and the machine', () => {
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    for (const target of ['sgemm >= 1.0x OpenBLAS', '80 % of FMA peak', '784-512-256-10 b128 >= 3x', 'within 0.5 %', '784-64-10 b32 >= 5x',
      'x.add(y) on 4 elements <= 0.3 us', 'peak RSS']) expect(summary).toContain(target);
    const bench = read('bench.json');
    expect(bench.machine.cpu.length).toBeGreaterThan(0);
    positive(bench.machine.cores);
    expect(summary).toContain(bench.machine.cpu);
    expect(stdout).toContain('## 6. Summary');
  });
});

describe('bench helpers', () => {
  it('parses bench/ops.mjs lines, with and without the PyTorch column', async () => {
    const { parseOpsOutput } = await lib('section-ops');
    const text = [
      'myelin native/avx512 (2 threads), Node v20.20.2; PyTorch 1.13.1 (1 thread)',
      'x.add(y), 4 elements                   myelin      0.41 us (0.40-0.45)   torch      0.81 us (0.80-0.90)',
      '64x64 matmul                           myelin      3.10 us (3.00-3.50)',
    ].join('\n');
    const { rows, header } = parseOpsOutput(text);
    expect(rows).toEqual({ 'x.add(y), 4 elements': { ours: 0.41, torch: 0.81 }, '64x64 matmul': { ours: 3.1, torch: null } });
    expect(header).toHaveLength(1);
  });

  it('medians and summaries', async () => {
    const { median, summarize } = await lib('stats');
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(3); // the upper middle, as the peers' scripts take it
    expect(summarize([2, NaN, 5, 1])).toEqual({ median: 2, min: 1, max: 5, runs: [2, 5, 1] });
    expect(summarize([undefined, NaN])).toBeNull();
  });

  it('rejects unknown options and bad numbers, naming them', async () => {
    const { parseOptions } = await lib('options');
    expect(() => parseOptions(['--fast'])).toThrow(/unknown option '--fast'/);
    expect(() => parseOptions(['--runs', '0'])).toThrow(/--runs needs an integer >= 1, got '0'/);
    expect(() => parseOptions(['--only', 'gemm,mpl'])).toThrow(/--only takes gemm,ops,mlp, got 'gemm,mpl'/);
    const q = parseOptions(['--quick']);
    expect([q.runs, q.epochs, q.smallEpochs]).toEqual([1, 1, 1]);
    const f = parseOptions(['--full']);
    expect([f.runs, f.epochs, f.smallEpochs, f.maxSeconds]).toEqual([3, 10, 8, Infinity]);
  });

  it('--readme replaces only the marked section, adding it under "## Speed" the first time', async () => {
    const { writeSummary } = await lib('summary');
    const dir = tempDir();
    const ctx = { resultPath: (n: string) => join(dir, n), rootPath: (n: string) => join(dir, n) };
    writeFileSync(join(dir, 'README.md'), '# myelin\n\nIntro.\n');
    writeSummary({ readme: true }, ctx, 'first table');
    const once = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(once).toBe('# myelin\n\nIntro.\n\n## Speed\n\n<!-- bench:start -->\nfirst table\n<!-- bench:end -->\n');
    writeFileSync(join(dir, 'README.md'), `${once}\n## After\n\nKept.\n`);
    writeSummary({ readme: true }, ctx, 'second table');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe(
      '# myelin\n\nIntro.\n\n## Speed\n\n<!-- bench:start -->\nsecond table\n<!-- bench:end -->\n\n## After\n\nKept.\n');
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toBe('second table\n');
  });
});
