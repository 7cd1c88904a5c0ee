import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allocate, dtypeOf, type Storage } from '../dtype.js';
import { axisRuns, sizeOf, splitAround } from '../shape.js';
import type {
  ActivationKind, Backend, BinaryKind, FusedActivation, FusedKernels, GatherHandle, OptimizerKernels, ReduceKind, UnaryKind,
} from './backend.js';
import { jsFusedKernels } from './js-fused.js';
import { manyFromSingle } from './js-optim.js';
import { jsBackend, permuteThrough } from './js.js';

/** The addon's exports (native/addon/); it validates its arguments again. */
export interface NativeAddon extends NativeFusedExports, NativeOptimizerExports, NativeElementwiseExports {
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Storage, lda: number, b: Storage, ldb: number, beta: number, c: Storage, ldc: number): void;
  gemmBatched(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Storage, lda: number, strideA: number, b: Storage, ldb: number, strideB: number,
    beta: number, c: Storage, ldc: number, strideC: number, batch: number): void;
  info(): { isa: string; threads: number; available: string[] };
  /** Absent from builds before it; then the TypeScript loop runs. */
  takeRows?(x: Storage, rowSize: number, indices: Int32Array, out: Storage): void;
  prefetchRows?(x: Storage, rowSize: number, indices: Int32Array): void;
  gatherRowsStart?(x: Storage, rowSize: number, indices: Int32Array, out: Storage): GatherHandle;
  gatherRowsFinish?(handle: GatherHandle): void;
  setNumThreads(n: number): void;
  /** Absent from builds before it; then arrays are not aligned. */
  alignOffset?(buffer: ArrayBuffer): number;
}

/** The package root: two levels above this file, both from src/backend and dist/backend. */
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Loads the addon through node-gyp-build (prebuilds/<platform>-<arch>/ first, then build/).
 * A failure names the platform, the places tried and the commands that fix it.
 */
export function loadAddon(): NativeAddon {
  const require = createRequire(import.meta.url);
  const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
  try {
    return nodeGypBuild(packageRoot) as NativeAddon;
  } catch (err) {
    const platform = `${process.platform}-${process.arch}`;
    const tried = [
      join(packageRoot, 'prebuilds', platform),
      join(packageRoot, 'build', 'Release'),
      join(packageRoot, 'build', 'Debug'),
    ];
    throw new Error(
      `myelin: no native addon could be loaded for ${platform} (Node ${process.versions.node}, N-API ${process.versions.napi}).\n` +
        `  tried: ${tried.join(', ')}\n` +
        `  cause: ${(err as Error).message.split('\n')[0]}\n` +
        `  fix: build it from source with \`npm rebuild myelin --build-from-source\` (needs python3, make and a C++17 compiler),\n` +
        `       or set MYELIN_BACKEND=js to run on the (slower) TypeScript kernels.`,
      { cause: err },
    );
  }
}

/** The native backend: the addon's kernels where it has them, the TypeScript ones elsewhere. */
export function createNativeBackend(addon: NativeAddon): Backend {
  let isa = addon.info().isa;
  return {
    ...jsBackend,
    name: 'native',
    isa: () => isa,
    threads: () => addon.info().threads,
    setNumThreads(n) {
      addon.setNumThreads(n);
      isa = addon.info().isa;
    },
    gemm: addon.gemm,
    gemmBatched: addon.gemmBatched,
    ...(addon.alignOffset ? { alignOffset: addon.alignOffset } : {}),
    ...(addon.takeRows ? { takeRows: addon.takeRows } : {}),
    ...(addon.prefetchRows ? { prefetchRows: addon.prefetchRows } : {}),
    ...(addon.gatherRowsStart && addon.gatherRowsFinish
      ? { gatherRowsStart: addon.gatherRowsStart, gatherRowsFinish: addon.gatherRowsFinish }
      : {}),
    ...nativeFusedKernels(addon),
    ...nativeOptimizerKernels(addon),
    ...nativeElementwiseKernels(addon),
  };
}

// ---------------------------------------------------------------- general elementwise kernels

/** The addon's general elementwise exports (native/addon/elementwise_binding.cc); absent from older builds. */
export interface NativeElementwiseExports {
  unary?(kind: UnaryKind, x: Storage, out: Storage): void;
  binary?(kind: BinaryKind, a: Storage, aStrides: readonly number[] | null, b: Storage, bStrides: readonly number[] | null,
    out: Storage, shape: readonly number[]): void;
  where?(cond: Storage, cStrides: readonly number[], a: Storage, aStrides: readonly number[], b: Storage,
    bStrides: readonly number[], out: Storage, shape: readonly number[]): void;
  reduce?(kind: ReduceKind, x: Storage, outer: number, run: number, inner: number, out: Storage): void;
  softmax?(log: boolean, x: Storage, outer: number, run: number, inner: number, out: Storage): void;
  copyStrided?(x: Storage, xOffset: number, xStrides: readonly number[], out: Storage, outOffset: number,
    outStrides: readonly number[], shape: readonly number[]): void;
}

/**
 * Below this many elements an op stays in TypeScript: the call into the addon (~0.1 us,
 * more with stride lists to read) costs more than the loop it would speed up (x.add(y)
 * on 4 elements takes 0.1-0.2 us in all).
 */
export const NATIVE_MIN_ELEMENTS = 64;

/**
 * A reduction over the runs of adjacent axes in `runs` (shape.ts axisRuns): one addon call
 * for one run; over axes that are not adjacent (sum over [0, 2] of [N, L, C], the gradient
 * of a [1, L, 1] operand broadcast against [N, L, C]), one addon reduction per run, the
 * last run first: [0, 2] is [N*L, C, 1] -> [N, L], then
 * [1, N, L] -> [L]. Each pass is one kernel over a smaller array; the TypeScript walk it
 * replaces costs a closure call per element (1.5 ms for 262k elements). A sum adds the runs'
 * partial sums, so its rounding differs from the walk's single chain as the row sums' do.
 */
function reduceByRuns(reduce: NonNullable<NativeElementwiseExports['reduce']>, kind: ReduceKind, x: Storage,
  shape: readonly number[], runs: readonly (readonly [number, number])[], dst: Storage): void {
  let cur = shape, src = x;
  for (let r = runs.length - 1; r > 0; r--) {
    const [first, last] = runs[r];
    const [outer, run, inner] = splitAround(cur, first, last);
    const partial = allocate(dtypeOf(x), outer * inner);
    reduce(kind, src, outer, run, inner, partial);
    cur = [...cur.slice(0, first), ...cur.slice(last + 1)];
    src = partial;
  }
  const [outer, run, inner] = splitAround(cur, runs[0][0], runs[0][1]);
  reduce(kind, src, outer, run, inner, dst);
}

/**
 * The addon's unary, binary, where, reduce, softmax and copy kernels for calls of NATIVE_MIN_ELEMENTS or
 * more (the TypeScript ones below that).
 */
export function nativeElementwiseKernels(addon: NativeElementwiseExports): Partial<Backend> {
  const out: Partial<Backend> = {};
  const { unary, binary, where, reduce, softmax, copyStrided } = addon;
  // The kernels take one dtype throughout; a mixed call (float32 + float64 into float64, a
  // float32 condition selecting float64 values) stays in TypeScript.
  // (Written out, not with a rest parameter: these checks run on every op, tiny ones too.)
  const native = (dst: Storage, x: Storage, y: Storage = x, z: Storage = x) =>
    dst.length >= NATIVE_MIN_ELEMENTS && x.constructor === dst.constructor && y.constructor === dst.constructor &&
    z.constructor === dst.constructor;
  if (unary) {
    out.unary = (kind, x, dst) => (native(dst, x) ? unary(kind, x, dst) : jsBackend.unary(kind, x, dst));
  }
  if (binary) {
    out.binary = (kind, a, aStrides, b, bStrides, dst, shape) =>
      native(dst, a, b)
        ? binary(kind, a, aStrides, b, bStrides, dst, shape)
        : jsBackend.binary(kind, a, aStrides, b, bStrides, dst, shape);
  }
  if (where) {
    out.where = (c, cStrides, a, aStrides, b, bStrides, dst, shape) =>
      native(dst, c, a, b)
        ? where(c, cStrides, a, aStrides, b, bStrides, dst, shape)
        : jsBackend.where(c, cStrides, a, aStrides, b, bStrides, dst, shape);
  }
  if (reduce) {
    out.reduce = (kind, x, shape, axes, dst) => {
      const runs = native(x, dst) ? axisRuns(axes) : [];
      // No axes at all is a copy, left to TypeScript.
      if (runs.length === 0) jsBackend.reduce(kind, x, shape, axes, dst);
      else reduceByRuns(reduce, kind, x, shape, runs, dst);
    };
  }
  if (softmax) {
    out.softmax = (log, x, outer, run, inner, dst) =>
      native(dst, x) ? softmax(log, x, outer, run, inner, dst) : jsFusedKernels.softmax(log, x, outer, run, inner, dst);
  }
  if (copyStrided) {
    const copy: Backend['copyStrided'] = (x, xOffset, xStrides, dst, dstOffset, dstStrides, shape) => {
      if (sizeOf(shape) >= NATIVE_MIN_ELEMENTS && x.constructor === dst.constructor) {
        copyStrided(x, xOffset, xStrides, dst, dstOffset, dstStrides, shape);
      } else {
        jsBackend.copyStrided(x, xOffset, xStrides, dst, dstOffset, dstStrides, shape);
      }
    };
    out.copyStrided = copy;
    out.permute = (x, shape, perm, dst) => permuteThrough(copy, x, shape, perm, dst);
  }
  return out;
}

// ---------------------------------------------------------------- fused nn kernels

/** The addon's fused nn exports (native/addon); absent from older builds, then js runs them. */
export interface NativeFusedExports {
  linearForward?: FusedKernels['linearForward'];
  activationForward?: (activation: FusedActivation, actParam: number, x: Storage, out: Storage) => void;
  activationBackward?: (activation: FusedActivation, actParam: number, dy: Storage, y: Storage, x: Storage | null, out: Storage) => void;
  biasGrad?: FusedKernels['biasGrad'];
  softmaxCrossEntropy?: FusedKernels['softmaxCrossEntropy'];
  softmaxCrossEntropyBackward?: FusedKernels['softmaxCrossEntropyBackward'];
}

const nativeActivations: ReadonlySet<string> = new Set<FusedActivation>(
  ['identity', 'relu', 'leakyRelu', 'elu', 'gelu', 'silu', 'sigmoid', 'tanh']);

/**
 * The fused kernels the addon exports, the js ones for the rest. activationBackward goes
 * native only for the activations the epilogue knows (erf, softplus, heaviside stay in js).
 */
export function nativeFusedKernels(addon: NativeFusedExports): Partial<FusedKernels> {
  const out: Partial<FusedKernels> = {};
  if (addon.linearForward) out.linearForward = addon.linearForward;
  if (addon.biasGrad) out.biasGrad = addon.biasGrad;
  if (addon.softmaxCrossEntropy) out.softmaxCrossEntropy = addon.softmaxCrossEntropy;
  if (addon.softmaxCrossEntropyBackward) out.softmaxCrossEntropyBackward = addon.softmaxCrossEntropyBackward;
  const forward = addon.activationForward;
  if (forward) {
    out.activationForward = (activation: ActivationKind, actParam, x, dst) =>
      nativeActivations.has(activation) && dst.length >= NATIVE_MIN_ELEMENTS && x.constructor === dst.constructor
        ? forward(activation as FusedActivation, actParam, x, dst)
        : jsFusedKernels.activationForward(activation, actParam, x, dst);
  }
  const backward = addon.activationBackward;
  if (backward) {
    out.activationBackward = (activation, actParam, dy, y, x, dst) =>
      nativeActivations.has(activation)
        ? backward(activation as FusedActivation, actParam, dy, y, x, dst)
        : jsFusedKernels.activationBackward(activation, actParam, dy, y, x, dst);
  }
  return out;
}

// ---------------------------------------------------------------- optimizer kernels

/** The addon's optimizer loops (native/addon/optim_binding.cc): coefficients passed positionally. */
export interface NativeOptimizerExports {
  adamUpdate(w: Storage, g: Storage, m: Storage, v: Storage, vmax: Storage | null, stepSize: number, bc2Sqrt: number,
    beta1: number, beta2: number, eps: number, l2: number, shrink: number, sign: number): void;
  sgdUpdate(w: Storage, g: Storage, buf: Storage | null, lr: number, momentum: number, dampening: number,
    weightDecay: number, sign: number, nesterov: boolean, first: boolean): void;
  /** Absent from builds before the multi-tensor step; then the single-array calls run in turn. */
  adamUpdateMany?(ws: Storage[], gs: Storage[], ms: Storage[], vs: Storage[], vmaxs: Storage[] | null, stepSize: number,
    bc2Sqrt: number, beta1: number, beta2: number, eps: number, l2: number, shrink: number, sign: number): void;
  sgdUpdateMany?(ws: Storage[], gs: Storage[], bufs: Storage[] | null, lr: number, momentum: number, dampening: number,
    weightDecay: number, sign: number, nesterov: boolean, first: boolean): void;
}

export function nativeOptimizerKernels(addon: NativeOptimizerExports): OptimizerKernels {
  const single = {
    adamUpdate: (w, g, m, v, vmax, c) =>
      addon.adamUpdate(w, g, m, v, vmax, c.stepSize, c.bc2Sqrt, c.beta1, c.beta2, c.eps, c.l2, c.shrink, c.sign),
    sgdUpdate: (w, g, buf, c) =>
      addon.sgdUpdate(w, g, buf, c.lr, c.momentum, c.dampening, c.weightDecay, c.sign, c.nesterov, c.first),
  } satisfies Pick<OptimizerKernels, 'adamUpdate' | 'sgdUpdate'>;
  const loops = manyFromSingle(single);
  const adamMany = addon.adamUpdateMany, sgdMany = addon.sgdUpdateMany;
  return {
    ...single,
    adamUpdateMany: adamMany
      ? (ws, gs, ms, vs, vmaxs, c) =>
        adamMany(ws, gs, ms, vs, vmaxs, c.stepSize, c.bc2Sqrt, c.beta1, c.beta2, c.eps, c.l2, c.shrink, c.sign)
      : loops.adamUpdateMany,
    sgdUpdateMany: sgdMany
      ? (ws, gs, bufs, c) => sgdMany(ws, gs, bufs, c.lr, c.momentum, c.dampening, c.weightDecay, c.sign, c.nesterov, c.first)
      : loops.sgdUpdateMany,
  };
}
