import { describe, expect, test } from 'vitest';
import * as my from '../src/index.js';
import { jsBackend } from '../src/backend/js.js';
import { createNativeBackend, loadAddon, type NativeAddon } from '../src/backend/native.js';
import { availableBackends } from './helpers.js';

const hasNative = availableBackends().includes('native');

function randomArray(ctor: Float32ArrayConstructor | Float64ArrayConstructor, n: number, seed: number): Float32Array | Float64Array {
  const a = new ctor(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 32 - 0.5;
  }
  return a;
}

describe('backend selection', () => {
  test('backend() names the backend, the ISA and the threads', () => {
    my.setBackend('js');
    expect(my.backend()).toEqual({ name: 'js', isa: 'js', threads: 1 });
    if (hasNative) {
      my.setBackend('native');
      const info = my.backend();
      expect(info.name).toBe('native');
      expect(['avx512', 'avx2', 'scalar']).toContain(info.isa);
      if (process.env.MYELIN_ISA) expect(info.isa).toBe(process.env.MYELIN_ISA);
      expect(info.threads).toBeGreaterThanOrEqual(1);
    }
  });

  test('bad arguments are refused with the function named', () => {
    expect(() => my.setBackend('gpu' as any)).toThrow(/setBackend: expected 'native' or 'js'/);
    expect(() => my.setNumThreads(0)).toThrow(/setNumThreads: expected an integer/);
    expect(() => my.setNumThreads(1.5)).toThrow(/setNumThreads/);
  });
});

// The native tests below need the addon; .ci/run builds it and sets MYELIN_REQUIRE_NATIVE=1,
// which makes availableBackends() throw when it does not load.
describe.runIf(hasNative)('native GEMM against the TypeScript reference', () => {
  const addon: NativeAddon = hasNative ? loadAddon() : (null as never);
  const native = hasNative ? createNativeBackend(addon) : jsBackend;

  test.each([
    [1, 1, 1], [1, 17, 1], [5, 3, 7], [17, 33, 9], [31, 1, 47], [64, 64, 64], [100, 300, 10], [129, 257, 65],
  ])('all transposes, padded leading dims, alpha/beta: %i x %i x %i', (m, k, n) => {
    for (const ctor of [Float32Array, Float64Array] as const) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const lda = (transA ? m : k) + 3, ldb = (transB ? k : n) + 1, ldc = n + 2;
          const a = randomArray(ctor, (transA ? k : m) * lda, 1), b = randomArray(ctor, (transB ? n : k) * ldb, 2);
          const c0 = randomArray(ctor, m * ldc, 3);
          const ref = c0.slice(), got = c0.slice();
          jsBackend.gemm(transA, transB, m, n, k, 0.5, a, lda, b, ldb, 2, ref, ldc);
          native.gemm(transA, transB, m, n, k, 0.5, a, lda, b, ldb, 2, got, ldc);
          const tol = (ctor === Float32Array ? 2e-6 : 1e-13) * k;
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < ldc; j++) {
              const idx = i * ldc + j;
              // The padding past column n must stay untouched.
              const bound = j < n ? tol : 0;
              if (!(Math.abs(got[idx] - ref[idx]) <= bound)) {
                throw new Error(`at (${i},${j}): ref=${ref[idx]}, got=${got[idx]}, ${m}x${n}x${k} trans=${transA},${transB} ${ctor.name}`);
              }
            }
          }
        }
      }
    }
  });

  test('beta = 0 ignores NaN in C; batched GEMM with a broadcast operand', () => {
    const a = randomArray(Float32Array, 3 * 4 * 5, 4), b = randomArray(Float32Array, 5 * 6, 5);
    const got = new Float32Array(3 * 4 * 6).fill(NaN), ref = new Float32Array(3 * 4 * 6);
    native.gemmBatched(false, false, 4, 6, 5, 1, a, 5, 20, b, 6, 0, 0, got, 6, 24, 3);
    jsBackend.gemmBatched(false, false, 4, 6, 5, 1, a, 5, 20, b, 6, 0, 0, ref, 6, 24, 3);
    for (let i = 0; i < ref.length; i++) expect(Math.abs(got[i] - ref[i])).toBeLessThan(1e-5);
  });

  test('results are bit-identical for 1, 2 and 3 threads', () => {
    const m = 300, n = 257, k = 311;
    const a = randomArray(Float32Array, m * k, 6), b = randomArray(Float32Array, k * n, 7);
    const results = [1, 2, 3].map((t) => {
      addon.setNumThreads(t);
      const c = new Float32Array(m * n);
      addon.gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n);
      return c;
    });
    addon.setNumThreads(Number(process.env.MYELIN_NUM_THREADS) || 2);
    expect(Buffer.from(results[1].buffer).equals(Buffer.from(results[0].buffer))).toBe(true);
    expect(Buffer.from(results[2].buffer).equals(Buffer.from(results[0].buffer))).toBe(true);
  });

  test('hostile arguments throw Errors naming gemm, never crash', () => {
    const f = new Float32Array(16), d = new Float64Array(16);
    const call = (...args: unknown[]) => () => (addon.gemm as (...a: unknown[]) => void)(...args);
    expect(call(false, false, 2, 2, 2, 1, f, 2, d, 2, 0, f, 2)).toThrow(/gemm/);           // mixed dtypes
    expect(call(false, false, 2, 2, 2, 1, [1, 2, 3, 4], 2, f, 2, 0, f, 2)).toThrow(/gemm/);  // not a typed array
    expect(call(false, false, 2, 2, 2, 1, new Int32Array(16), 2, f, 2, 0, f, 2)).toThrow(/gemm/);
    expect(call(false, false, 4, 4, 8, 1, f, 8, f, 4, 0, f, 4)).toThrow(/gemm/);            // A too short
    expect(call(false, false, -1, 2, 2, 1, f, 2, f, 2, 0, f, 2)).toThrow(/gemm/);
    expect(call(false, false, 1.5, 2, 2, 1, f, 2, f, 2, 0, f, 2)).toThrow(/gemm/);
    expect(call(false, false, NaN, 2, 2, 1, f, 2, f, 2, 0, f, 2)).toThrow(/gemm/);
    expect(call(false, false, 2 ** 40, 2, 2, 1, f, 2, f, 2, 0, f, 2)).toThrow(/gemm/);
    expect(call(false, false, 2, 2, 4, 1, f, 2, f, 2, 0, f, 2)).toThrow(/gemm/);            // lda < k
    expect(call(false, false, 2, 2)).toThrow(/gemm/);                                       // too few arguments
    const detached = new Float32Array(16);
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    expect(call(false, false, 2, 2, 2, 1, detached, 2, f, 2, 0, f, 2)).toThrow(/gemm/);
    expect(() => (addon.gemmBatched as (...a: unknown[]) => void)(false, false, 2, 2, 2, 1, f, 2, 4, f, 2, 4, 0, f, 2, 4, 5)).toThrow(/gemmBatched/);
    expect(() => addon.setNumThreads(0)).toThrow(/setNumThreads/);
  });

  test('prefetchRows is a hint with the checks of takeRows: never reads outside src', () => {
    const src = Float32Array.from({ length: 40 }, (_, i) => i), before = src.slice();
    const call = (...args: unknown[]) => () => (addon.prefetchRows as (...a: unknown[]) => void)(...args);
    expect(call(src, 4, Int32Array.from([0, 9, 3]))()).toBeUndefined();
    expect(call(new Float64Array(8), 2, Int32Array.from([3]))()).toBeUndefined();
    expect(call(src, 4, new Int32Array(0))()).toBeUndefined();
    expect(src).toEqual(before);
    expect(call(src, 4, Int32Array.from([10]))).toThrow('prefetchRows: indices[0] = 10 is outside [0, 10) (src holds 10 rows of 4)');
    expect(call(src, 4, Int32Array.from([2, -1]))).toThrow(/prefetchRows: indices\[1\] = -1 is outside/);
    expect(call(src, 4, [1, 2])).toThrow(/prefetchRows/);
    expect(call([1, 2], 1, Int32Array.from([0]))).toThrow(/prefetchRows/);
    expect(call(src, -1, Int32Array.from([0]))).toThrow(/prefetchRows/);
    expect(call(src, 4)).toThrow(/prefetchRows/);
    // The js backend has nothing to do for the hint.
    expect(jsBackend.prefetchRows(src, 4, Int32Array.from([10]))).toBeUndefined();
  });

  test('gatherRowsStart/Finish: the rows of takeRows, with its checks, on 1 thread and on the pool', () => {
    const src = randomArray(Float64Array, 2000 * 300, 9) as Float64Array;
    const indices = Int32Array.from({ length: 64 }, (_, i) => (i * 7919) % 2000);
    const want = new Float64Array(64 * 300);
    addon.takeRows!(src, 300, indices, want);
    for (const threads of [1, 2]) {
      addon.setNumThreads(threads);
      const out = new Float64Array(64 * 300);
      const handle = addon.gatherRowsStart!(src, 300, indices, out);
      indices.reverse().reverse();  // the addon copied the indices: touching them changes nothing
      addon.gatherRowsFinish!(handle);
      expect(out).toEqual(want);
    }
    addon.setNumThreads(my.backend().threads);
    const call = (...args: unknown[]) => () => (addon.gatherRowsStart as (...a: unknown[]) => unknown)(...args);
    expect(call(src, 300, Int32Array.from([2000]), new Float64Array(300))).toThrow('gatherRowsStart: indices[0] = 2000 is outside [0, 2000) (src holds 2000 rows of 300)');
    expect(call(src, 300, Int32Array.from([0, 1]), new Float64Array(300))).toThrow(/gatherRowsStart: out/);
    expect(call(src, 300, Int32Array.from([0]), new Float32Array(300))).toThrow(/gatherRowsStart/);
  });

  test('a gather still under way when the process or a worker thread ends brings nothing down', async () => {
    const { execFileSync } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const root = fileURLToPath(new URL('..', import.meta.url));
    // Gathers from a 200 MB source, never finished, as the program ends: plain exit,
    // process.exit, and a worker thread's end (its environment goes while the pool runs on).
    const body = `const addon = require('node-gyp-build')(${JSON.stringify(root)});
      const src = new Float32Array(50000 * 1000);
      for (let i = 0; i < 20; i++) {
        addon.gatherRowsStart(src, 1000, Int32Array.from({ length: 256 }, (_, j) => (j * 7919 + i) % 50000), new Float32Array(256 * 1000));
      }`;
    const endings = [body, `${body}; process.exit(0);`,
      `const { Worker } = require('node:worker_threads'); new Worker(${JSON.stringify(body)}, { eval: true }).on('exit', (c) => process.exit(c));`];
    for (const code of endings) {
      const out = execFileSync(process.execPath, ['-e', code], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(out).toBe('');
    }
  });
});

// Arrays of 4 KiB and more start on a 64-byte boundary on the native backend (as PyTorch's
// CPU allocator places them); smaller ones, and every array on the js backend, are left
// where they come.
describe.runIf(hasNative)('tensor storage alignment', () => {
  const addon: NativeAddon = hasNative ? loadAddon() : (null as never);
  const aligned = (t: my.Tensor) => t.data.byteOffset === addon.alignOffset!(t.data.buffer as ArrayBuffer);

  test('alignOffset gives the bytes to the first 64-byte boundary, and refuses a non-buffer', () => {
    for (let i = 0; i < 16; i++) {
      const offset = addon.alignOffset!(new ArrayBuffer(4096 + 64 * i + 8 * i));
      expect(offset % 8).toBe(0);  // malloc's alignment at least
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThan(64);
    }
    expect(() => addon.alignOffset!(new Float32Array(4) as any)).toThrow(/alignOffset: buffer must be an ArrayBuffer/);
    expect(() => (addon.alignOffset as any)()).toThrow(/alignOffset/);
  });

  test('large creation, op outputs, gradients and batches are aligned, with their values intact', () => {
    my.setBackend('native');
    my.manualSeed(0);
    const w = my.randn([33, 64], { requiresGrad: true }), z = my.zeros([1024], { dtype: 'float64' });
    const x = my.randn([40, 33]);
    const y = x.matmul(w).relu();
    y.sum().backward();
    const [xb] = new my.data.DataLoader(new my.data.TensorDataset(x, Int32Array.from({ length: 40 }, () => 0)), { batchSize: 32 })[Symbol.iterator]().next().value!;
    for (const t of [w, z, x, y, w.grad!, xb]) {
      expect(t.data.byteLength).toBeGreaterThanOrEqual(4096);
      expect(aligned(t)).toBe(true);
    }
    expect(Array.from(z.data).every((v) => v === 0)).toBe(true);
    expect(Array.from(xb.data)).toEqual(Array.from(x.data.subarray(0, 32 * 33)));
    // The same gradient from the js backend, whose arrays are not aligned.
    my.setBackend('js');
    const wj = my.tensor(w.toArray() as number[][], { requiresGrad: true }), xj = my.tensor(x.toArray() as number[][]);
    xj.matmul(wj).relu().sum().backward();
    const expected = Array.from(wj.grad!.data), got = Array.from(w.grad!.data);
    expect(got.map((v, i) => Math.abs(v - expected[i]) <= 1e-4 * (1 + Math.abs(expected[i])))).not.toContain(false);
    my.setBackend('native');
  });
});

// reduce() to a single value and copyStrided() of one broadcast value take short paths in
// the TypeScript backend (the native backend uses them too); they must give the general
// paths' bits: a sum in index order rounded to the output's precision at every step, max
// with NaN winning, and a fill of exactly the block.
describe('reduce to one value and broadcast copies: same bits as the general paths', () => {
  for (const ctor of [Float32Array, Float64Array]) {
    test(`${ctor.name}: a full reduction agrees with the same column reduced inside a 2-column tensor`, () => {
      const n = 1001;
      // 1 then tiny terms: in float32 each step rounds back to 1, accumulated wider they would not.
      const col = new ctor(n).fill(3e-8);
      col[0] = 1;
      const pair = new ctor(2 * n);
      for (let i = 0; i < n; i++) { pair[2 * i] = col[i]; pair[2 * i + 1] = i; }
      for (const kind of ['sum', 'max'] as const) {
        for (const withNaN of [false, true]) {
          if (withNaN) { col[500] = NaN; pair[1000] = NaN; }
          const whole = new ctor(1), columns = new ctor(2);
          jsBackend.reduce(kind, col, [n], [0], whole);
          jsBackend.reduce(kind, pair, [n, 2], [0], columns);
          expect(Object.is(whole[0], columns[0])).toBe(true);
          if (withNaN) expect(whole[0]).toBeNaN();
          col[500] = 3e-8; pair[1000] = 3e-8;
        }
      }
      const sum = new ctor(1);
      jsBackend.reduce('sum', col, [n], [0], sum);
      if (ctor === Float32Array) expect(sum[0]).toBe(1);
      else expect(sum[0]).toBeCloseTo(1 + 1000 * 3e-8, 12);
    });
  }

  for (const ctor of [Float32Array, Float64Array]) {
    test(`${ctor.name}: reductions over one run of adjacent axes give the general walk's bits`, () => {
      // The general walk runs where the reduced axes are not adjacent: with a size-1 axis
      // inserted between them, the same reduction takes it.
      const [a, b, c] = [3, 37, 5];
      const x = randomArray(ctor, a * b * c, 77);
      for (let i = 0; i < x.length; i += 17) x[i] *= 1e6;  // magnitudes that make rounding matter
      x[40] = NaN;
      const cases: [number[], number[], number[], number[]][] = [
        // [axes on [a,b,c], shape the walk sees, its axes, output shape]
        [[1], [1, a, b, c], [0, 2], [a, c]],
        [[0], [a, b, 1, c], [0, 2], [b, c]],
        [[0, 1], [a, 1, b, c], [0, 2], [1, c]],
        [[1, 2], [a, b, 1, c], [1, 3], [a, 1]],
        [[0, 1, 2], [a, 1, b, c], [0, 2, 3], [1]],
      ];
      for (const kind of ['sum', 'max'] as const) {
        for (const [axes, walkShape, walkAxes, outShape] of cases) {
          const size = outShape.reduce((p, d) => p * d, 1);
          const fast = new ctor(size), walked = new ctor(size);
          jsBackend.reduce(kind, x, [a, b, c], axes, fast);
          jsBackend.reduce(kind, x, walkShape, walkAxes, walked);
          for (let i = 0; i < size; i++) expect(Object.is(fast[i], walked[i]), `${kind} over [${axes}] at ${i}`).toBe(true);
        }
      }
    });
  }

  test('a broadcast value fills exactly its block; other layouts still walk', () => {
    const out = new Float32Array(10).fill(-1);
    jsBackend.copyStrided(new Float32Array([0, 7]), 1, [0, 0], out, 2, [3, 1], [2, 3]);
    expect(Array.from(out)).toEqual([-1, -1, 7, 7, 7, 7, 7, 7, -1, -1]);
    const strided = new Float32Array(10).fill(-1);
    jsBackend.copyStrided(new Float32Array([7]), 0, [0, 0], strided, 0, [4, 1], [2, 3]);
    expect(Array.from(strided)).toEqual([7, 7, 7, -1, 7, 7, 7, -1, -1, -1]);
  });
});
