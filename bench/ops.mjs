#!/usr/bin/env node
// Per-op overhead of myelin beside PyTorch, measured in the same run. A benchmark, never a
// test: it prints figures only.
//
//   npx tsc -p tsconfig.build.json && node bench/ops.mjs            # both backends' default
//   MYELIN_BACKEND=js node bench/ops.mjs                              # the TypeScript kernels
//   node bench/ops.mjs --no-peer                                      # skip PyTorch
//
// Each figure is the median (min-max) of 7 timed loops after a warm-up, exactly as
// /work/shared/peers/mlp_torch.py's per_op_us measures PyTorch:
//   x.add(y) on 4 float32 elements, without and with requiresGrad (graph recorded);
//   a 64x64 float32 matmul; a 784-128-64-10 ReLU MLP forward+backward at batch 32; the
//   784-512-256-10 ReLU MLP's forward on one sample without a graph (a server answering
//   one request).
import { spawnSync } from 'node:child_process';
import { openblasPeerEnv, PYTHON } from './lib/openblas.mjs';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist', 'index.js');
if (!existsSync(dist)) {
  console.error('bench/ops.mjs: dist/index.js is missing; build it first with `npx tsc -p tsconfig.build.json`');
  process.exit(1);
}
const my = await import(pathToFileURL(dist).href);
const peer = !process.argv.includes('--no-peer');

// Results go to a sink read at the end, so V8 cannot drop the work as dead code.
let sink = null;
function perOpUs(fn, n, reps = 7) {
  for (let i = 0; i < Math.min(n, 2000); i++) sink = fn();
  const v = [];
  for (let r = 0; r < reps; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink = fn();
    v.push(Number(process.hrtime.bigint() - t) / 1e3 / n);
  }
  v.sort((a, b) => a - b);
  return [v[reps >> 1], v[0], v[reps - 1]];
}

function mlp() {
  const { Linear, ReLU, Sequential } = my.nn;
  my.manualSeed(0);
  const model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 64), new ReLU(), new Linear(64, 10));
  const x = my.rand([32, 784]);
  const target = Int32Array.from({ length: 32 }, (_, i) => i % 10);
  return () => {
    model.zeroGrad();
    my.nn.functional.crossEntropy(model.forward(x), target).backward();
  };
}

/** One sample through the larger MLP, recording no graph. */
function inferOne() {
  const { Linear, ReLU, Sequential } = my.nn;
  my.manualSeed(0);
  const model = new Sequential(new Linear(784, 512), new ReLU(), new Linear(512, 256), new ReLU(), new Linear(256, 10));
  const x = my.rand([1, 784]);
  return () => my.noGrad(() => model.forward(x));
}

const x = my.rand([4]), y = my.rand([4]);
const xg = my.rand([4], { requiresGrad: true }), yg = my.rand([4], { requiresGrad: true });
const A = my.rand([64, 64]), B = my.rand([64, 64]);
// A 128x512 float32 activation (the larger MLP's first hidden layer at batch 128) through
// the ops a hand-written model uses outside Linear: broadcasting arithmetic, activations,
// reductions, a transpose, a softmax, a select; and a sum over two dims that are not
// adjacent (the gradient of a [1, L, 1] operand broadcast against [N, L, C]).
const X = my.randn([128, 512]), Y = my.randn([128, 512]), ROW = my.randn([512]), X3 = my.randn([32, 64, 128]);
const F = my.nn.functional;
const ELEMENTWISE = [
  ['ewAddRow', '128x512 x.add(row [512])', () => X.add(ROW)],
  ['ewMul', '128x512 x.mul(y)', () => X.mul(Y)],
  ['ewExp', '128x512 x.exp()', () => X.exp()],
  ['ewTanh', '128x512 x.tanh()', () => X.tanh()],
  ['ewGelu', '128x512 gelu(x)', () => F.gelu(X)],
  ['ewSum1', '128x512 x.sum(1)', () => X.sum(1)],
  ['ewMax1', '128x512 x.max(1)', () => X.max(1)],
  ['ewTranspose', '128x512 x.transpose(0, 1), materialised', () => X.transpose(0, 1)],
  ['ewSoftmax', '128x512 softmax(x, dim 1)', () => F.softmax(X, { dim: 1 })],
  ['ewWhere', '128x512 where(x > 0, x, y)', () => my.where(X.gt(0), X, Y)],
  ['ewSum02', '32x64x128 x.sum([0, 2])', () => X3.sum([0, 2])],
];

const ours = {
  ...Object.fromEntries(ELEMENTWISE.map(([key, , fn]) => [key, perOpUs(fn, 500)])),
  add4: perOpUs(() => x.add(y), 200000),
  add4Grad: perOpUs(() => xg.add(yg), 100000),
  matmul64: perOpUs(() => A.matmul(B), 2000),
  mlp32: perOpUs(mlp(), 200),
  infer1: perOpUs(inferOne(), 2000),
};

const torchScript = String.raw`
import json, os, time
os.environ.setdefault("OMP_NUM_THREADS", "1")
import torch
torch.set_num_threads(1)
def per_op_us(fn, n, reps=7):
    for _ in range(min(n, 2000)): fn()
    v = []
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(n): fn()
        v.append((time.perf_counter() - t) / n * 1e6)
    v.sort(); return v[len(v) // 2], v[0], v[-1]
torch.manual_seed(0)
x, y = torch.rand(4), torch.rand(4)
xg, yg = torch.rand(4, requires_grad=True), torch.rand(4, requires_grad=True)
A, B = torch.rand(64, 64), torch.rand(64, 64)
model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10))
X = torch.rand(32, 784); T = torch.arange(32) % 10
lossf = torch.nn.CrossEntropyLoss()
def step():
    model.zero_grad(set_to_none=True)
    lossf(model(X), T).backward()
big = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
X1 = torch.rand(1, 784)
def infer_one():
    with torch.no_grad():
        return big(X1)
# The 128x512 and 32x64x128 rows: PyTorch's better of 1 and 2 threads (it splits elementwise loops over
# 32k elements), as the MLP section takes its better thread count.
Xe, Ye, ROW, X3e = torch.randn(128, 512), torch.randn(128, 512), torch.randn(512), torch.randn(32, 64, 128)
F = torch.nn.functional
elementwise = dict(ewAddRow=lambda: Xe + ROW, ewMul=lambda: Xe * Ye, ewExp=lambda: Xe.exp(), ewTanh=lambda: Xe.tanh(),
    ewGelu=lambda: F.gelu(Xe), ewSum1=lambda: Xe.sum(1), ewMax1=lambda: Xe.amax(1), ewTranspose=lambda: Xe.t().contiguous(),
    ewSoftmax=lambda: torch.softmax(Xe, 1), ewWhere=lambda: torch.where(Xe > 0, Xe, Ye), ewSum02=lambda: X3e.sum((0, 2)))
best = {}
for threads in (1, 2):
    torch.set_num_threads(threads)
    for key, fn in elementwise.items():
        r = per_op_us(fn, 500)
        if key not in best or r[0] < best[key][0]: best[key] = r
torch.set_num_threads(1)
print(json.dumps(dict(torch=torch.__version__, **best, add4=per_op_us(lambda: x + y, 200000), add4Grad=per_op_us(lambda: xg + yg, 100000),
    matmul64=per_op_us(lambda: A @ B, 2000), mlp32=per_op_us(step, 200), infer1=per_op_us(infer_one, 2000))))
`;

let theirs = null;
if (peer) {
  const r = spawnSync(PYTHON, ['-c', torchScript], { encoding: 'utf8', env: { ...process.env, ...openblasPeerEnv().env } });
  if (r.status === 0) theirs = JSON.parse(r.stdout.trim().split('\n').pop());
  else console.error(`PyTorch peer failed (is Debian's python3-torch installed?): ${r.stderr.split('\n').slice(-3).join(' ')}`);
}

if (sink === 42) console.log(sink); // reads the sink
const fmt = ([med, lo, hi]) => `${med.toFixed(2).padStart(9)} us (${lo.toFixed(2)}-${hi.toFixed(2)})`;
const b = my.backend();
console.log(`myelin ${b.name}/${b.isa} (${b.threads} threads), Node ${process.versions.node}` +
  (theirs ? `; PyTorch ${theirs.torch} (1 thread; the 128x512 and 32x64x128 rows its better of 1 and 2)` : ''));
const rows = [
  ...ELEMENTWISE.map(([key, label]) => [key, label]),
  ['add4', 'x.add(y), 4 elements'],
  ['add4Grad', 'x.add(y), 4 elements, requiresGrad'],
  ['matmul64', '64x64 matmul'],
  ['mlp32', 'MLP 784-128-64-10 fwd+bwd, batch 32'],
  ['infer1', 'MLP 784-512-256-10 forward, 1 sample'],
];
for (const [key, label] of rows) {
  console.log(`${label.padEnd(38)} myelin ${fmt(ours[key])}${theirs ? `   torch ${fmt(theirs[key])}` : ''}`);
}
