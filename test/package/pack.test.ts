import { afterAll, beforeAll, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'myelin-pack-'));
let tarball = '';
let files: string[] = [];

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  // The prebuilt binary the tarball ships, then the tarball itself (prepare compiles dist/).
  run('npm', ['run', 'prebuild'], root);
  const out = run('npm', ['pack', '--json', '--pack-destination', work], root);
  const info = JSON.parse(out.slice(out.indexOf('[')))[0];
  tarball = join(work, info.filename);
  files = info.files.map((f: { path: string }) => f.path);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

test('the tarball ships prebuilds, built JS, types and data, not build/, test/ or sources of the TS', () => {
  expect(files.some((f) => /^prebuilds\/linux-x64\/.+\.node$/.test(f))).toBe(true);
  expect(files).toContain('dist/index.js');
  expect(files).toContain('dist/index.d.ts');
  expect(files).toContain('data/digits.csv.gz');
  expect(files.filter((f) => /^(build|test|bench|node_modules|src)\//.test(f))).toEqual([]);
});

test('installs into an empty folder and trains with no compiler available', () => {
  const app = join(work, 'app');
  run('mkdir', ['-p', app], work);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  // No compiler, no headers: anything that tried to build from source would fail here.
  const noCompiler = { CC: '/bin/false', CXX: '/bin/false', npm_config_nodedir: '/nonexistent', PREBUILDS_ONLY: '1' };
  run('npm', ['install', '--no-audit', '--no-fund', tarball], app, noCompiler);
  expect(existsSync(join(app, 'node_modules', 'myelin', 'build'))).toBe(false);
  writeFileSync(join(app, 'train.mjs'), `
import * as my from 'myelin';
my.manualSeed(0);
const info = my.backend();
// XOR: not linearly separable, so success needs the hidden layer to train.
const x = my.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
const y = [0, 1, 1, 0];
const model = new my.nn.Sequential(new my.nn.Linear(2, 16), new my.nn.ReLU(), new my.nn.Linear(16, 2));
const opt = new my.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
for (let i = 0; i < 300; i++) {
  opt.zeroGrad();
  my.nn.functional.crossEntropy(model.forward(x), y).backward();
  opt.step();
}
const pred = Array.from(my.noGrad(() => model.forward(x)).argmax(1).data);
console.log(JSON.stringify({ ...info, pred }));
`);
  const out = JSON.parse(run('node', ['train.mjs'], app, noCompiler).trim().split('\n').pop()!);
  expect(out.name).toBe('native');
  expect(out.pred).toEqual([0, 1, 1, 0]);
  expect(readdirSync(join(app, 'node_modules', 'myelin', 'prebuilds', 'linux-x64')).length).toBeGreaterThan(0);
});

test('a binary that cannot load gives an Error naming platform, paths and the fix', () => {
  const app = join(work, 'app');
  rmSync(join(app, 'node_modules', 'myelin', 'prebuilds'), { recursive: true, force: true });
  writeFileSync(join(app, 'fail.mjs'), `
import * as my from 'myelin';
try { my.zeros([2]).add(1); console.log('loaded'); } catch (e) { console.log(e.message); }
`);
  const msg = run('node', ['fail.mjs'], app, { PREBUILDS_ONLY: '1' });
  expect(msg).toMatch(/no native addon could be loaded for linux-x64/);
  expect(msg).toMatch(/prebuilds\/linux-x64/);
  expect(msg).toMatch(/npm rebuild myelin/);
  expect(msg).toMatch(/MYELIN_BACKEND=js/);
});
