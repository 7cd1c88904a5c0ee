#!/usr/bin/env node
// Smoke test of the built addon from JavaScript: results on typed-array views (byteOffset
// respected, float32 and float64, all transposes), and every bad input a JS caller could
// pass must throw an Error naming the op, never crash the process.
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
console.log(`addon_smoke: ${checks + 4} checks passed (isa=${info.isa}, threads=${info.threads})`);
