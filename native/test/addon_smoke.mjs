#!/usr/bin/env node
// Smoke test of the built addon from JavaScript: results on typed-array views (byteOffset
// respected, float32 and float64, all transposes), and every bad input a JS caller could
// pass must throw an Error naming the op, never crash the process. The same for the fused
// nn exports and the optimizer loops: one value check each, then their bad inputs.
//   node native/test/addon_smoke.mjs        (after npm run build:native)
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const addon = createRequire(import.meta.url)('node-gyp-build')(root);

function naive(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
  const out = Array.from(c);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
    out[i * ldc + j] = alpha * s + (beta === 0 ? 0 : beta * c[i * ldc + j]);
  }
  return out;
}

let checks = 0;
for (const Arr of [Float32Array, Float64Array]) {
  for (const [m, n, k] of [[1, 1, 1], [5, 10, 7], [33, 17, 65], [130, 70, 40]]) {
    for (let t = 0; t < 4; t++) {
      const ta = !!(t & 2), tb = !!(t & 1);
      const lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 2, ldc = n + 3;
      // Views into larger buffers, at a non-zero byteOffset.
      const view = (len) => { const big = new Arr(len + 5).map(() => Math.random() - 0.5); return big.subarray(3, 3 + len); };
      const a = view((ta ? k : m) * lda), b = view((tb ? n : k) * ldb), c = view(m * ldc);
      const want = naive(ta, tb, m, n, k, 0.5, a, lda, b, ldb, 2, c, ldc);
      addon.gemm(ta, tb, m, n, k, 0.5, a, lda, b, ldb, 2, c, ldc);
      const tol = Arr === Float32Array ? 1e-4 * (k + 2) : 1e-12 * (k + 2);
      for (let i = 0; i < want.length; i++) assert.ok(Math.abs(want[i] - c[i]) <= tol, `${Arr.name} ${m}x${n}x${k} t=${t} at ${i}: ${want[i]} vs ${c[i]}`);
      checks++;
    }
  }
}

// gemmBatched with a broadcast B (strideB = 0).
{
  const m = 3, n = 4, k = 5, batch = 3;
  const a = new Float64Array(batch * m * k).map(Math.random), b = new Float64Array(k * n).map(Math.random);
  const c = new Float64Array(batch * m * n);
  addon.gemmBatched(false, false, m, n, k, 1, a, k, m * k, b, n, 0, 0, c, n, m * n, batch);
  for (let i = 0; i < batch; i++) {
    const want = naive(false, false, m, n, k, 1, a.subarray(i * m * k), k, b, n, 0, new Float64Array(m * n), n);
    want.forEach((w, j) => assert.ok(Math.abs(w - c[i * m * n + j]) < 1e-12));
  }
  checks++;
}

// Bad inputs: each must throw an Error whose message starts with the op name.
const f32 = (n) => new Float32Array(n);
const ok = [false, false, 2, 3, 4, 1, f32(8), 4, f32(12), 3, 0, f32(6), 3];
const withArg = (i, v) => ok.map((x, j) => (j === i ? v : x));
const detached = () => { const a = f32(8); structuredClone(a.buffer, { transfer: [a.buffer] }); return a; };
const bad = {
  'no arguments': [],
  'too few': ok.slice(0, 12),
  'too many': [...ok, 1],
  'transA not boolean': withArg(0, 1),
  'm negative': withArg(2, -1),
  'm non-integer': withArg(2, 1.5),
  'm NaN': withArg(2, NaN),
  'm Infinity': withArg(2, Infinity),
  'm huge': withArg(2, 2 ** 60),
  'm string': withArg(2, '2'),
  'alpha not number': withArg(5, null),
  'a Int32Array': withArg(6, new Int32Array(8)),
  'a plain Array': withArg(6, [1, 2, 3, 4, 5, 6, 7, 8]),
  'a too short': withArg(6, f32(7)),
  'a detached': withArg(6, detached()),
  'b float64 mixed': withArg(8, new Float64Array(12)),
  'c too short (subarray)': withArg(11, f32(10).subarray(5)),
  'lda below row length': withArg(7, 3),
  'ldc below n': withArg(12, 2),
  'ldb huge overflow': withArg(9, 2 ** 32),
};
for (const [what, args] of Object.entries(bad)) {
  assert.throws(() => addon.gemm(...args), (e) => e instanceof Error && e.message.startsWith('gemm: '), what);
  checks++;
}
const okB = [false, false, 2, 3, 4, 1, f32(16), 4, 8, f32(12), 3, 0, 0, f32(12), 3, 6, 2];
const withB = (i, v) => okB.map((x, j) => (j === i ? v : x));
addon.gemmBatched(...okB);
for (const [what, args] of Object.entries({
  'strideC overlaps': withB(15, 5),
  'a short for batch': withB(6, f32(15)),
  'batch NaN': withB(16, NaN),
  'count': okB.slice(1),
})) {
  assert.throws(() => addon.gemmBatched(...args), (e) => e instanceof Error && e.message.startsWith('gemmBatched: '), what);
  checks++;
}
assert.throws(() => addon.setNumThreads(0), /^RangeError: setNumThreads: /);
assert.throws(() => addon.setNumThreads(1.5), /^RangeError: setNumThreads: /);
const info = addon.info();
assert.ok(['avx512', 'avx2', 'scalar'].includes(info.isa) && info.threads >= 1 && info.available.includes(info.isa));
// m == 0 is a no-op even with empty arrays; k == 0 scales C by beta.
addon.gemm(false, false, 0, 3, 4, 1, f32(0), 4, f32(12), 3, 0, f32(0), 3);
const c0 = new Float32Array([1, 2, NaN]);
addon.gemm(false, false, 1, 3, 0, 1, f32(0), 0, f32(0), 3, 0, c0, 3);
assert.deepEqual(Array.from(c0), [0, 0, 0]);

// ---- fused nn and optimizer exports: a value check each, then bad inputs -------------------
const close = (got, want, tol, what) => {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i])), `${what} at ${i}: ${got[i]} vs ${want[i]}`);
  checks++;
};
{
  // linearForward: relu(x @ w^T + bias) on odd sizes (masked tails), float32 and float64.
  for (const Arr of [Float32Array, Float64Array]) {
    const m = 13, n = 19, k = 7;
    const x = new Arr(m * k).map(() => Math.random() - 0.5), w = new Arr(n * k).map(() => Math.random() - 0.5);
    const bias = new Arr(n).map(() => Math.random() - 0.5), out = new Arr(m * n).fill(NaN);
    addon.linearForward(x, w, bias, 'relu', 0, out, m, n, k);
    const want = naive(false, true, m, n, k, 1, x, k, w, k, 0, new Arr(m * n), n).map((v, i) => Math.max(0, v + bias[i % n]));
    close(out, want, Arr === Float32Array ? 1e-5 : 1e-12, `linearForward ${Arr.name}`);
  }
  // activationBackward: tanh from y, gelu from x (against its closed form at 0 and +-1).
  const y = new Float64Array([0, 0.5, -0.9]), dy = new Float64Array([1, 2, 3]), out = new Float64Array(3);
  addon.activationBackward('tanh', 0, dy, y, null, out);
  close(out, [1, 2 * 0.75, 3 * (1 - 0.81)], 1e-15, 'activationBackward tanh');
  const x = new Float64Array([0, 1, -1]);
  addon.activationBackward('gelu', 0, new Float64Array([1, 1, 1]), null, x, out);
  const pdf1 = Math.exp(-0.5) / Math.sqrt(2 * Math.PI), cdf1 = 0.8413447460685429;
  close(out, [0.5, cdf1 + pdf1, 1 - cdf1 - pdf1], 1e-14, 'activationBackward gelu');
  // biasGrad: column sums.
  const g = new Float32Array(10 * 17).map((_, i) => i % 7), sums = new Float32Array(17);
  addon.biasGrad(g, 10, 17, sums);
  close(sums, Array.from({ length: 17 }, (_, j) => { let s = 0; for (let i = 0; i < 10; i++) s += (i * 17 + j) % 7; return s; }), 0, 'biasGrad');
  // softmaxCrossEntropy (+Backward) on 2 rows, one of huge logits.
  const logits = new Float64Array([1, 2, 3, 1000, 1000, 1000]), targets = new Int32Array([2, 0]);
  const loss = new Float64Array(2), prob = new Float64Array(6), grad = new Float64Array(6);
  addon.softmaxCrossEntropy(logits, 2, 3, targets, loss, prob);
  const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
  close(loss, [lse - 3, Math.log(3)], 1e-14, 'softmaxCrossEntropy loss');
  addon.softmaxCrossEntropyBackward(prob, targets, 0.5, grad);
  close(grad, [0.5 * Math.exp(1 - lse), 0.5 * Math.exp(2 - lse), 0.5 * (Math.exp(3 - lse) - 1), 0.5 * (1 / 3 - 1), 0.5 / 3, 0.5 / 3], 1e-14, 'softmaxCrossEntropyBackward');
  // adamUpdate (one step from zero moments, bc2Sqrt = 1) and sgdUpdate (plain).
  const wA = new Float64Array([1, -2]), gA = new Float64Array([0.5, -1]), mA = new Float64Array(2), vA = new Float64Array(2);
  addon.adamUpdate(wA, gA, mA, vA, null, 0.1, 1, 0.9, 0.999, 1e-8, 0, 1, 1);
  const step = (gi) => 0.1 * (0.1 * gi) / (Math.sqrt(0.001 * gi * gi) + 1e-8);
  close(wA, [1 - step(0.5), -2 - step(-1)], 1e-14, 'adamUpdate w');
  close(mA, [0.05, -0.1], 1e-15, 'adamUpdate m');
  const wS = new Float32Array([1, 2]);
  addon.sgdUpdate(wS, new Float32Array([0.5, -0.5]), null, 0.1, 0, 0, 0, 1, false, true);
  close(wS, [0.95, 2.05], 1e-7, 'sgdUpdate');
}
const f64 = (n) => new Float64Array(n);
const badNn = {
  linearForward: {
    ok: [f32(6), f32(6), f32(2), 'relu', 0, f32(6), 3, 2, 2],
    cases: { 'activation unknown': [3, 'swish'], 'activation not string': [3, 1], 'x short': [0, f32(5)], 'w float64': [1, f64(6)],
      'bias short': [2, f32(1)], 'out short': [5, f32(5)], 'm NaN': [6, NaN], 'k negative': [8, -1], 'x plain array': [0, [1, 2, 3, 4, 5, 6]],
      'out detached': [5, detached()] },
  },
  activationBackward: {
    ok: ['relu', 0, f32(4), f32(4), null, f32(4)],
    cases: { 'unknown activation': [0, 'softplus'], 'y short': [3, f32(3)], 'out short': [5, f32(3)], 'gelu without x': [0, 'gelu'],
      'dtype mixed': [2, f64(4)], 'param not number': [1, 'a'] },
  },
  biasGrad: {
    ok: [f32(6), 2, 3, f32(3)],
    cases: { 'dy short': [0, f32(5)], 'out short': [3, f32(2)], 'n huge': [2, 2 ** 40], 'out float64': [3, f64(3)] },
  },
  softmaxCrossEntropy: {
    ok: [f32(6), 2, 3, new Int32Array([0, 2]), f32(2), f32(6)],
    cases: { 'target out of range': [3, new Int32Array([0, 3])], 'target negative': [3, new Int32Array([-1, 0])], 'targets short': [3, new Int32Array([0])],
      'targets Float32Array': [3, f32(2)], 'logits short': [0, f32(5)], 'n zero': [2, 0] },
  },
  softmaxCrossEntropyBackward: {
    ok: [f32(6), new Int32Array([0, 2]), 1, f32(6)],
    cases: { 'prob not a multiple': [0, f32(5)], 'target out of range': [1, new Int32Array([0, 3])], 'gradLoss short': [2, f32(1)], 'out short': [3, f32(5)],
      'gradLoss string': [2, 'x'] },
  },
  adamUpdate: {
    ok: [f32(4), f32(4), f32(4), f32(4), null, 0.1, 1, 0.9, 0.999, 1e-8, 0, 1, 1],
    cases: { 'g short': [1, f32(3)], 'v float64': [3, f64(4)], 'vmax short': [4, f32(2)], 'eps not number': [9, null], 'm plain array': [2, [0, 0, 0, 0]] },
  },
  takeRows: {
    ok: [f32(6), 2, new Int32Array([2, 0, 2]), f32(6)],
    cases: { 'index past the rows': [2, new Int32Array([0, 3, 1])], 'index negative': [2, new Int32Array([-1, 0, 0])], 'out short': [3, f32(5)],
      'out float64': [3, f64(6)], 'indices Float32Array': [2, f32(3)], 'rowSize fractional': [1, 1.5], 'src plain array': [0, [1, 2, 3, 4, 5, 6]] },
  },
  gatherRowsStart: {
    ok: [f32(6), 2, new Int32Array([2, 0, 2]), f32(6)],
    cases: { 'index past the rows': [2, new Int32Array([0, 3, 1])], 'index negative': [2, new Int32Array([-1, 0, 0])], 'out short': [3, f32(5)],
      'out float64': [3, f64(6)], 'indices Float32Array': [2, f32(3)], 'rowSize fractional': [1, 1.5], 'src plain array': [0, [1, 2, 3, 4, 5, 6]] },
  },
  sgdUpdate: {
    ok: [f32(4), f32(4), null, 0.1, 0, 0, 0, 1, false, true],
    cases: { 'g short': [1, f32(3)], 'buf float64': [2, f64(4)], 'nesterov not boolean': [8, 1], 'lr not number': [3, '0.1'] },
  },
  adamUpdateMany: {
    ok: [[f32(4), f32(2)], [f32(4), f32(2)], [f32(4), f32(2)], [f32(4), f32(2)], null, 0.1, 1, 0.9, 0.999, 1e-8, 0, 1, 1],
    cases: { 'ws not an array': [0, f32(4)], 'gs one array short': [1, [f32(4)]], 'ms element short': [2, [f32(4), f32(1)]],
      'vs element float64': [3, [f32(4), f64(2)]], 'vmaxs element plain array': [4, [f32(4), [0, 0]]], 'ws mixed dtypes': [0, [f32(4), f64(2)]],
      'eps not number': [9, 'x'], 'ws element detached': [0, [f32(4), detached()]] },
  },
  sgdUpdateMany: {
    ok: [[f32(4)], [f32(4)], [f32(4)], 0.1, 0.9, 0, 0, 1, false, false],
    cases: { 'gs element short': [1, [f32(3)]], 'bufs count': [2, []], 'bufs element float64': [2, [f64(4)]], 'first not boolean': [9, 0] },
  },
};
{
  // The Many forms write the arrays of every parameter as the single calls do, and refuse
  // written arrays that share memory (the pool updates them concurrently).
  const mk = (n, s) => Float32Array.from({ length: n }, (_, i) => Math.sin(s * 7 + i));
  const sizes = [3, 20000, 17];
  const fresh = () => sizes.map((n, i) => [mk(n, i), mk(n, i + 10), mk(n, i + 20), mk(n, i + 30).map(Math.abs)]);
  const one = fresh(), many = fresh();
  for (const [w, g, m, v] of one) addon.adamUpdate(w, g, m, v, null, 0.01, 0.5, 0.9, 0.999, 1e-8, 0.1, 1, 1);
  addon.adamUpdateMany(...[0, 1, 2, 3].map((k) => many.map((p) => p[k])), null, 0.01, 0.5, 0.9, 0.999, 1e-8, 0.1, 1, 1);
  assert.deepEqual(many, one, 'adamUpdateMany = adamUpdate per parameter');
  const buf = new Float32Array(8), a = new Float32Array(buf.buffer, 0, 5), b = new Float32Array(buf.buffer, 12, 5);
  assert.throws(() => addon.sgdUpdateMany([a, b], [f32(5), f32(5)], null, 0.1, 0, 0, 0, 1, false, false),
    /Error: sgdUpdateMany: two of the arrays it writes share memory/, 'sgdUpdateMany overlap');
  const m4 = f32(4);
  assert.throws(() => addon.adamUpdateMany([f32(4)], [f32(4)], [m4], [m4], null, 0.1, 1, 0.9, 0.999, 1e-8, 0, 1, 1),
    /Error: adamUpdateMany: two of the arrays it writes share memory/, 'adamUpdateMany m = v');
  addon.sgdUpdateMany([new Float32Array(buf.buffer, 0, 3), new Float32Array(buf.buffer, 12, 5)], [f32(3), f32(5)], null, 0.1, 0, 0, 0, 1, false, false);
  checks += 4;
}
{
  // takeRows copies whole rows by index, repeats included.
  const src = Float32Array.from({ length: 8 }, (_, i) => i), out = new Float32Array(6);
  addon.takeRows(src, 2, new Int32Array([3, 0, 3]), out);
  assert.deepEqual(Array.from(out), [6, 7, 0, 1, 6, 7], 'takeRows values');
  // The same rows copied ahead by the pool: in place once gatherRowsFinish returns.
  const ahead = new Float32Array(6);
  const handle = addon.gatherRowsStart(src, 2, new Int32Array([3, 0, 3]), ahead);
  addon.gatherRowsFinish(handle);
  addon.gatherRowsFinish(handle);
  assert.deepEqual(Array.from(ahead), [6, 7, 0, 1, 6, 7], 'gatherRowsStart/Finish values');
  for (const bad of [{}, null, 3, new Float32Array(2), Object.create(Object.getPrototypeOf(handle))]) {
    assert.throws(() => addon.gatherRowsFinish(bad), /^TypeError: gatherRowsFinish: handle must be what gatherRowsStart returned/, 'foreign handle');
  }
  checks += 3;
}
for (const [op, { ok: good, cases }] of Object.entries(badNn)) {
  addon[op](...good);
  assert.throws(() => addon[op](...good.slice(1)), (e) => e instanceof Error && e.message.startsWith(`${op}: `), `${op} count`);
  checks++;
  for (const [what, [i, v]] of Object.entries(cases)) {
    const args = good.map((x, j) => (j === i ? v : x));
    assert.throws(() => addon[op](...args), (e) => e instanceof Error && e.message.startsWith(`${op}: `), `${op}: ${what}`);
    checks++;
  }
}
console.log(`addon_smoke: ${checks + 4} checks passed (isa=${info.isa}, threads=${info.threads})`);
