// The addon's general elementwise kernels (unary, binary and where with broadcasting,
// reduce, softmax, copyStrided, activationForward) against the TypeScript backend they must match: bit for
// bit where elementwise.h says so, within a few ulp for the transcendental ones. Sizes run
// from one vector to past the thread pool's split (2 x 32768 elements), so every path of
// the strided walk, each ISA's loops (CI runs the suite once per MYELIN_ISA) and the pool
// all run. Calls go to the addon directly, below the backend's small-size cut-over.
import { describe, expect, test } from 'vitest';
import { jsBackend } from '../src/backend/js.js';
import { jsFusedKernels } from '../src/backend/js-fused.js';
import { loadAddon, nativeElementwiseKernels, type NativeAddon } from '../src/backend/native.js';
import type { BinaryKind, FusedActivation, UnaryKind } from '../src/backend/backend.js';
import { broadcastShapes, broadcastStrides, stridesOf } from '../src/shape.js';
import { availableBackends } from './helpers.js';

const hasNative = availableBackends().includes('native');
type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const CTORS: Ctor[] = [Float32Array, Float64Array];

/** Values in [-scale, scale) with the awkward ones planted: NaN, +-Inf, +-0, denormals, ties. */
function values(ctor: Ctor, n: number, seed: number, scale = 4): Float32Array | Float64Array {
  const a = new ctor(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = (s / 2 ** 32 - 0.5) * 2 * scale;
  }
  const tiny = ctor === Float32Array ? 1e-40 : 1e-310;
  const special = [NaN, Infinity, -Infinity, 0, -0, tiny, -tiny, 1, -1, 0.5, 100, -100];
  for (let k = 0; k < special.length && k * 7 < n; k++) a[(k * 7919 + seed) % n] = special[k];
  return a;
}

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/** Same bits, NaN matching NaN (payloads aside). */
function expectSameBits(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (Object.is(got[i], want[i]) || (Number.isNaN(got[i]) && Number.isNaN(want[i]))) continue;
    throw new Error(`${what}: at ${i} expected ${want[i]}, got ${got[i]}`);
  }
}

/** Within `ulps` units in the last place of T (relative), or `abs` absolutely (flushed denormals). */
function expectUlps(got: ArrayLike<number>, want: ArrayLike<number>, ctor: Ctor, ulps: number, what: string): void {
  const eps = ctor === Float32Array ? 2 ** -23 : 2 ** -52, abs = ctor === Float32Array ? 2 ** -126 : 2 ** -1022;
  for (let i = 0; i < want.length; i++) {
    const g = got[i], w = want[i];
    if (Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w))) continue;
    if (Math.abs(g - w) <= ulps * eps * Math.abs(w) + abs) continue;
    throw new Error(`${what}: at ${i} expected ${w}, got ${g}`);
  }
}

const UNARY: UnaryKind[] = ['neg', 'exp', 'log', 'sqrt', 'abs', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'square',
  'reciprocal', 'sign', 'step', 'copy'];
// libm in double (as Math.* is) can differ from V8's by an ulp of double; the activation
// kernels' vector exp/tanh/sigmoid by a few ulp of T.
const UNARY_ULPS: Partial<Record<UnaryKind, number>> = { log: 1, sin: 1, cos: 1, exp: 4, tanh: 4, sigmoid: 4 };
const BINARY: BinaryKind[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'gt', 'lt', 'ge', 'le'];
const SIZES = [64, 1001, 70001];

describe.runIf(hasNative)('native general elementwise kernels against the TypeScript backend', () => {
  const addon: NativeAddon = hasNative ? loadAddon() : (null as never);

  for (const ctor of CTORS) {
    test(`${ctor.name}: every unary op, in and out of place, up to a pool-split size`, () => {
      for (const n of SIZES) {
        const x = values(ctor, n, n);
        for (const kind of UNARY) {
          const want = new ctor(n), got = new ctor(n);
          jsBackend.unary(kind, x, want);
          addon.unary!(kind, x, got);
          const what = `${kind} ${ctor.name} n=${n}`;
          const ulps = UNARY_ULPS[kind];
          if (ulps === undefined) expectSameBits(got, want, what);
          else expectUlps(got, want, ctor, ulps, what);
          const inPlace = x.slice();
          addon.unary!(kind, inPlace, inPlace);
          expectSameBits(inPlace, got, `${what} in place`);
        }
      }
    });

    test(`${ctor.name}: activationForward matches the reference activations`, () => {
      const acts: [FusedActivation, number][] = [['identity', 0], ['relu', 0], ['leakyRelu', 0.1], ['elu', 1],
        ['gelu', 0], ['silu', 0], ['sigmoid', 0], ['tanh', 0]];
      for (const n of SIZES) {
        const x = values(ctor, n, 3 * n);
        for (const [act, param] of acts) {
          const want = new ctor(n), got = new ctor(n);
          jsFusedKernels.activationForward(act, param, x, want);
          addon.activationForward!(act, param, x, got);
          // The TypeScript gelu works in double, so in float32 it is rounded once; the
          // addon's float gelu rounds erfc's argument x/sqrt2 to float first, which costs up to
          // ~x^2 ulp in the tail (21 ulp at x = -5.7, where gelu is -3e-8). In float64 the
          // TypeScript erfc is the looser one: up to ~1e-11 relative near |x| = 3.5.
          expectUlps(got, want, ctor, ctor === Float32Array ? 40 : 2 ** 19, `${act} ${ctor.name} n=${n}`);
        }
      }
    });

    test(`${ctor.name}: binary ops with broadcasting give the TypeScript backend's bits`, () => {
      const pairs: [number[], number[]][] = [
        [[70001], [70001]], [[1001], [1]], [[1], [1001]], [[128, 512], [512]], [[128, 512], [128, 1]],
        [[300, 1], [1, 250]], [[3, 1, 5], [1, 4, 5]], [[2, 3, 4, 5], [3, 1, 5]], [[7, 1, 1, 9], [1, 8, 6, 1]],
        [[5, 64], [5, 64]], [[1], [1]], [[4, 0, 3], [1, 3]],
      ];
      for (const [sa, sb] of pairs) {
        const shape = broadcastShapes('binary', sa, sb);
        const a = values(ctor, size(sa), 11 + size(sa)), b = values(ctor, size(sb), 13 + size(sb), 3);
        const stA = broadcastStrides(sa, shape), stB = broadcastStrides(sb, shape);
        for (const kind of BINARY) {
          const want = new ctor(size(shape)), got = new ctor(size(shape));
          jsBackend.binary(kind, a, stA, b, stB, want, shape);
          addon.binary!(kind, a, stA, b, stB, got, shape);
          const what = `${kind} [${sa}] with [${sb}] ${ctor.name}`;
          if (kind === 'pow') expectUlps(got, want, ctor, 1, what);
          else expectSameBits(got, want, what);
        }
      }
    });

    test(`${ctor.name}: binary ops read any strides (a transposed operand), and null means contiguous`, () => {
      const shape = [37, 300];
      const a = values(ctor, 300 * 37, 5), b = values(ctor, 37 * 300, 6);
      const transposed = [1, 37];  // a stored [300, 37], read as its transpose
      for (const kind of ['add', 'maximum', 'gt'] as BinaryKind[]) {
        const want = new ctor(size(shape)), got = new ctor(size(shape)), nulls = new ctor(size(shape));
        jsBackend.binary(kind, a, transposed, b, stridesOf(shape), want, shape);
        addon.binary!(kind, a, transposed, b, stridesOf(shape), got, shape);
        expectSameBits(got, want, `${kind} transposed`);
        addon.binary!(kind, b, null, b, null, nulls, shape);
        const ref = new ctor(size(shape));
        jsBackend.binary(kind, b, null, b, null, ref, shape);
        expectSameBits(nulls, ref, `${kind} null strides`);
      }
    });

    test(`${ctor.name}: where selects with broadcasting, NaN and denormal conditions counting as true`, () => {
      const cases: [number[], number[], number[]][] = [
        [[70001], [70001], [70001]], [[128, 512], [128, 512], [512]], [[128, 1], [512], [128, 512]], [[3, 1, 5], [1, 4, 5], [1]],
      ];
      for (const [sc, sa, sb] of cases) {
        const shape = broadcastShapes('where', broadcastShapes('where', sc, sa), sb);
        const c = values(ctor, size(sc), 17 + size(sc)).map((v) => (v > 1 ? 0 : v));  // many zeros, NaN and denormals kept
        const a = values(ctor, size(sa), 19), b = values(ctor, size(sb), 23);
        const want = new ctor(size(shape)), got = new ctor(size(shape));
        const st = [broadcastStrides(sc, shape), broadcastStrides(sa, shape), broadcastStrides(sb, shape)];
        jsBackend.where(c, st[0], a, st[1], b, st[2], want, shape);
        addon.where!(c, st[0], a, st[1], b, st[2], got, shape);
        expectSameBits(got, want, `where [${sc}] [${sa}] [${sb}] ${ctor.name}`);
      }
    });

    test(`${ctor.name}: reductions over adjacent axes: the backend's bits across rows, close along them`, () => {
      const shapes: [number, number, number][] = [[1, 70001, 1], [300, 700, 1], [5, 1, 3], [1, 300, 700],
        [40, 33, 70], [2, 0, 3], [3, 17, 1], [1, 1, 1]];
      for (const [outer, run, inner] of shapes) {
        const x = values(ctor, outer * run * inner, outer + run + inner, 2).map((v) => (Number.isFinite(v) ? v : 0.25));
        if (x.length > 100) x[x.length >> 1] = NaN;
        for (const kind of ['sum', 'max'] as const) {
          const want = new ctor(outer * inner), got = new ctor(outer * inner);
          jsBackend.reduce(kind, x, [outer, run, inner], [1], want);
          addon.reduce!(kind, x, outer, run, inner, got);
          const what = `${kind} over [${outer},${run},${inner}] ${ctor.name}`;
          if (inner > 1 || kind === 'max' || run <= 1) {
            expectSameBits(got, want, what);
            continue;
          }
          // Along a row the lanes sum in another order: within the rounding of the sum.
          for (let o = 0; o < outer; o++) {
            let mag = 0;
            for (let r = 0; r < run; r++) mag += Math.abs(x[o * run + r]);
            const eps = ctor === Float32Array ? 2 ** -23 : 2 ** -52;
            if (Number.isNaN(want[o])) expect(got[o], what).toBeNaN();
            else expect(Math.abs(got[o] - want[o]), `${what} row ${o}`).toBeLessThanOrEqual(2 * run * eps * mag);
          }
        }
      }
    });

    test(`${ctor.name}: reductions over non-adjacent axes, one pass per run of axes, and over none: max exact, sums close`, () => {
      const reduce = nativeElementwiseKernels(addon).reduce!;
      const cases: [number[], number[]][] = [[[4, 5, 6], [0, 2]], [[4, 5, 6], [2, 0]], [[3, 4, 5, 6], [1, 3]],
        [[3, 4, 5, 6], [0, 1, 3]], [[3, 4, 5, 6], [0, 2, 3]], [[2, 3, 4, 5, 6], [0, 2, 4]], [[16, 64, 128], [0, 2]],
        [[64, 3, 512], [0, 2]], [[5, 1, 7, 9], [0, 3]], [[8, 9], []]];
      const eps = ctor === Float32Array ? 2 ** -23 : 2 ** -52;
      for (const [shape, axes] of cases) {
        const x = values(ctor, size(shape), shape.length + (axes[0] ?? 9), 2).map((v) => (Number.isFinite(v) ? v : 0.25));
        x[x.length >> 1] = NaN;
        const kept = shape.filter((_, i) => !axes.includes(i));
        const count = size(shape) / size(kept);
        // Sum of |x| per output, for the rounding bound: the sum of x with every term made positive.
        const mag = new Float64Array(size(kept));
        jsBackend.reduce('sum', Float64Array.from(x, Math.abs), shape, axes, mag);
        for (const kind of ['sum', 'max'] as const) {
          const want = new ctor(size(kept)).fill(7), got = new ctor(size(kept)).fill(7);
          jsBackend.reduce(kind, x, shape, axes, want);
          reduce(kind, x, shape, axes, got);
          const what = `${kind} of [${shape}] over [${axes}] ${ctor.name}`;
          if (kind === 'max') {
            expectSameBits(got, want, what);
            continue;
          }
          for (let o = 0; o < want.length; o++) {
            if (Number.isNaN(want[o])) expect(got[o], `${what} at ${o}`).toBeNaN();
            else expect(Math.abs(got[o] - want[o]), `${what} at ${o}`).toBeLessThanOrEqual(2 * count * eps * mag[o]);
          }
          expect(want.some(Number.isNaN) && want.some((v) => !Number.isNaN(v)), what).toBe(true);
        }
      }
    });

    test(`${ctor.name}: softmax and log-softmax along any axis match the reference`, () => {
      const shapes: [number, number, number][] = [[1, 70001, 1], [300, 700, 1], [128, 10, 1], [3, 50, 40], [1, 200, 400],
        [2, 0, 3], [5, 1, 7]];
      const eps = ctor === Float32Array ? 2 ** -23 : 2 ** -52;
      for (const [outer, run, inner] of shapes) {
        const x = values(ctor, outer * run * inner, 7 + run, 6).map((v) => (Number.isNaN(v) ? 0.5 : v));
        if (x.length > 1000) { x[3] = 1000; x[4] = -1000; x[x.length - 1] = NaN; }
        for (const log of [false, true]) {
          const want = new ctor(x.length), got = new ctor(x.length);
          jsFusedKernels.softmax(log, x, outer, run, inner, want);
          addon.softmax!(log, x, outer, run, inner, got);
          for (let i = 0; i < x.length; i++) {
            const ok = Object.is(got[i], want[i]) || (Number.isNaN(got[i]) && Number.isNaN(want[i])) ||
              Math.abs(got[i] - want[i]) <= 16 * eps * (1 + Math.abs(want[i]));
            if (!ok) throw new Error(`${log ? 'logSoftmax' : 'softmax'} [${outer},${run},${inner}] ${ctor.name} at ${i}: expected ${want[i]}, got ${got[i]}`);
          }
        }
      }
    });

    test(`${ctor.name}: a long sum is more accurate than one sequential chain`, () => {
      const n = 1 << 20, x = values(ctor, n, 21, 1).map((v) => (Number.isFinite(v) ? Math.abs(v) : 0.5));
      let exact = 0;
      for (let i = 0; i < n; i++) exact += x[i];  // double: ~1e-16 relative, far below float's error
      const out = new ctor(1), chain = new ctor(1);
      addon.reduce!('sum', x, 1, n, 1, out);
      jsBackend.reduce('sum', x, [n], [0], chain);
      if (ctor === Float32Array) {
        expect(Math.abs(out[0] - exact)).toBeLessThan(Math.abs(chain[0] - exact) / 10);
        expect(Math.abs(out[0] - exact) / exact).toBeLessThan(2e-7);
      } else {
        expect(Math.abs(out[0] - exact) / exact).toBeLessThan(1e-14);
      }
    });

    test(`${ctor.name}: copyStrided: every permutation of a 3-d tensor, a broadcast, a block of a larger tensor`, () => {
      const shape = [31, 40, 57];
      const x = values(ctor, size(shape), 9);
      const xs = stridesOf(shape);
      for (const perm of [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]) {
        const outShape = perm.map((p) => shape[p]), read = perm.map((p) => xs[p]);
        const want = new ctor(x.length), got = new ctor(x.length);
        jsBackend.copyStrided(x, 0, read, want, 0, stridesOf(outShape), outShape);
        addon.copyStrided!(x, 0, read, got, 0, stridesOf(outShape), outShape);
        expectSameBits(got, want, `permute [${perm}]`);
      }
      // A [128] row broadcast to [600, 128]; then a [20, 30] block written into rows 5.. of a
      // [40, 50] tensor at column 7, the rest untouched.
      const row = values(ctor, 128, 4), want = new ctor(600 * 128), got = new ctor(600 * 128);
      jsBackend.copyStrided(row, 0, [0, 1], want, 0, [128, 1], [600, 128]);
      addon.copyStrided!(row, 0, [0, 1], got, 0, [128, 1], [600, 128]);
      expectSameBits(got, want, 'broadcast');
      const src = values(ctor, 20 * 30 + 3, 8), big1 = new ctor(40 * 50).fill(-7), big2 = big1.slice();
      jsBackend.copyStrided(src, 3, [30, 1], big1, 5 * 50 + 7, [50, 1], [20, 30]);
      addon.copyStrided!(src, 3, [30, 1], big2, 5 * 50 + 7, [50, 1], [20, 30]);
      expectSameBits(big2, big1, 'block');
    });
  }

  test('denormals are kept by the arithmetic ops, as in JavaScript, on the calling thread and the pool', () => {
    for (const n of [64, 70001]) {
      const a = new Float32Array(n).fill(1e-39), b = new Float32Array(n).fill(1e-39), out = new Float32Array(n);
      addon.binary!('add', a, null, b, null, out, [n]);
      expect(out[0]).toBe(Math.fround(Math.fround(1e-39) * 2));
      expect(out[n - 1]).toBe(out[0]);
      const sum = new Float32Array(1);
      addon.reduce!('sum', a, 1, n, 1, sum);
      expect(sum[0]).toBeGreaterThan(0);
    }
  });

  test('a getter in a shape or stride list that detaches an operand cannot make the addon touch freed memory', () => {
    // The lists are read before any array's pointer is taken, so the detached array is seen
    // as empty and refused.
    for (const victim of ['a', 'out'] as const) {
      const a = new Float32Array(4096), b = new Float32Array(4096), out = new Float32Array(4096);
      const shape: number[] = [64, 64];
      Object.defineProperty(shape, 1, {
        get: () => { const t = victim === 'a' ? a : out; structuredClone(t.buffer, { transfer: [t.buffer] }); return 64; },
      });
      expect(() => addon.binary!('add', a, null, b, null, out, shape)).toThrow(/binary: .*(has 0|reaches element)/);
      expect(victim === 'a' ? a.length : out.length).toBe(0);
    }
  });

  test('adamUpdateMany reads every list before taking any pointer: a getter that detaches ws[0] is caught', () => {
    const n = 1024, mk = () => new Float32Array(n);
    const ws = [mk(), mk()], gs = [mk(), mk()], ms = [mk(), mk()], vs = [mk(), mk()];
    Object.defineProperty(gs, 1, {
      get: () => { structuredClone(ws[0].buffer, { transfer: [ws[0].buffer] }); return new Float32Array(n); },
    });
    expect(() => addon.adamUpdateMany!(ws, gs, ms, vs, null, 1e-3, 1, 0.9, 0.999, 1e-8, 0, 1, 1))
      .toThrow(/adamUpdateMany: gs\[0\] has 1024 elements but ws\[0\] has 0/);
  });

  test('bad arguments throw an Error naming the op, the shapes and the arrays, before any work', () => {
    const a = new Float32Array(6), b = new Float32Array(3), out = new Float32Array(6);
    expect(() => addon.binary!('add', a, null, b, [1, 1], out, [2, 3]))
      .toThrow(/binary: b with offset 0 and strides \[1,1\] over shape \[2,3\] reaches element 3, but the Float32Array has 3/);
    expect(() => addon.binary!('add', a, null, b, [0, 1, 1], out, [2, 3])).toThrow(/binary: bStrides \[0,1,1\] has 3 entries but shape \[2,3\] has 2 dims/);
    expect(() => addon.binary!('add', a, null, b, [0, -1], out, [2, 3])).toThrow(/binary: bStrides\[1\] must be a non-negative integer/);
    expect(() => addon.binary!('add', a, null, b, [0, 1.5], out, [2, 3])).toThrow(/binary: bStrides\[1\] must be a non-negative integer/);
    expect(() => addon.binary!('add', a, null, new Float64Array(3), [0, 1], out, [2, 3])).toThrow(/binary: .*Float64Array.*Float32Array|binary: .*dtype/);
    expect(() => addon.binary!('add', a, null, b, [0, 1], new Float32Array(5), [2, 3])).toThrow(/binary: out .* has 5 elements .*shape \[2,3\]/);
    expect(() => addon.binary!('frobnicate' as BinaryKind, a, null, b, [0, 1], out, [2, 3])).toThrow(/binary: unknown kind 'frobnicate'/);
    expect(() => addon.binary!('add', a, null, b, [0, 1], out, new Array(17).fill(1))).toThrow(/binary: shape has 17 entries, more than the 16 supported/);
    expect(() => addon.binary!('add', a, [2 ** 32, 1], b, [0, 1], out, [2, 3])).toThrow(/binary: a with offset 0 .* reaches element/);
    expect(() => addon.binary!('add', a, null, b, null, out, [2 ** 32, 2 ** 32, 2 ** 32])).toThrow(/binary: shape .* is too large/);
    expect(() => addon.unary!('exp', new Float32Array(2), out)).toThrow(/unary: x \(Float32Array\) has 2 elements but out of 6 elements needs 6/);
    expect(() => addon.unary!('cbrt' as UnaryKind, a, out)).toThrow(/unary: unknown kind 'cbrt'/);
    expect(() => addon.reduce!('sum', a, 2, 4, 1, out)).toThrow(/reduce: x .* has 6 elements but x viewed as \[outer, run, inner\] = \[2,4,1\] needs 8/);
    expect(() => addon.reduce!('mean' as 'sum', a, 2, 3, 1, out)).toThrow(/reduce: unknown kind 'mean' \(sum, max\)/);
    expect(() => addon.copyStrided!(a, 1, [3, 1], out, 0, [3, 1], [2, 3])).toThrow(/copyStrided: x with offset 1 .* reaches element 6/);
    expect(() => addon.copyStrided!(a, 0, [3, 1], out, 0, [0, 1], [2, 3])).toThrow(/copyStrided: outStrides \[0,1\] write dim 0 of shape \[2,3\] to one element/);
    expect(() => addon.activationForward!('swish' as FusedActivation, 0, a, out)).toThrow(/activationForward: unknown activation 'swish'/);
    expect(() => addon.softmax!(false, a, 2, 3, 1, a)).toThrow(/softmax: out overlaps x/);
    expect(() => addon.softmax!(true, a, 2, 4, 1, out)).toThrow(/softmax: x .* has 6 elements but x viewed as \[outer, run, inner\] = \[2,4,1\] needs 8/);
    expect(() => addon.where!(a, [3, 1], a, [3, 1], b, [1, 1], out, [2, 3])).toThrow(/where: b with offset 0 and strides \[1,1\] over shape \[2,3\] reaches element 3/);
    expect(() => addon.where!(new Float64Array(6), [3, 1], a, [3, 1], a, [3, 1], out, [2, 3])).toThrow(/where: .*Float64Array/);
    // Empty shapes are fine, whatever the strides.
    addon.binary!('add', a, [5, 1], b, [0, 1], out, [0, 3]);
    addon.copyStrided!(new Float32Array(0), 9, [1], out, 9, [1], [0]);
  });
});
