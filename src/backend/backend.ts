import type { Storage } from '../dtype.js';

/** Elementwise one-input kernels every backend provides. */
export type UnaryKind =
  | 'neg' | 'exp' | 'log' | 'sqrt' | 'abs' | 'sin' | 'cos' | 'tanh' | 'sigmoid' | 'relu'
  | 'square' | 'reciprocal' | 'sign' | 'step' | 'copy';

/** Elementwise two-input kernels (NumPy broadcasting through strides). */
export type BinaryKind =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'eq' | 'gt' | 'lt' | 'ge' | 'le';

export type ReduceKind = 'sum' | 'max';

/**
 * The arithmetic a tensor op needs. `js` implements all of it in TypeScript (the reference
 * and the oracle); `native` overrides what its addon does faster. Kernels write into `out`,
 * which the caller allocated; none of them knows about autograd.
 */
export interface Backend {
  readonly name: 'native' | 'js';
  /** Kernel ISA in use: 'avx512' | 'avx2' | 'neon' | 'scalar' ('js' for the TypeScript kernels). */
  isa(): string;
  threads(): number;
  setNumThreads(n: number): void;
  /** Bytes from a buffer's start to its first 64-byte boundary; absent where addresses are unknown (js). */
  alignOffset?(buffer: ArrayBuffer): number;

  /** C = alpha*op(A)*op(B) + beta*C, row-major with leading dimensions. */
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Storage, lda: number, b: Storage, ldb: number, beta: number, c: Storage, ldc: number): void;
  /** `batch` GEMMs whose operands sit `stride*` elements apart (stride 0 broadcasts one matrix). */
  gemmBatched(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Storage, lda: number, strideA: number, b: Storage, ldb: number, strideB: number,
    beta: number, c: Storage, ldc: number, strideC: number, batch: number): void;

  unary(kind: UnaryKind, x: Storage, out: Storage): void;
  /**
   * out[idx] = f(a[idx·aStrides], b[idx·bStrides]) over `shape` (strides 0 where broadcast);
   * null strides mean the operand is contiguous with out's shape (the common, fast case).
   */
  binary(kind: BinaryKind, a: Storage, aStrides: readonly number[] | null, b: Storage, bStrides: readonly number[] | null,
    out: Storage, shape: readonly number[]): void;
  /** out = cond != 0 ? a : b, broadcasting like `binary`. */
  where(cond: Storage, cStrides: readonly number[], a: Storage, aStrides: readonly number[], b: Storage,
    bStrides: readonly number[], out: Storage, shape: readonly number[]): void;
  /** Reduces `axes` (sorted, distinct) of x (shape `shape`) into out (the kept dims, in order). */
  reduce(kind: ReduceKind, x: Storage, shape: readonly number[], axes: readonly number[], out: Storage): void;
  /** Index of the first maximum along `dim`, written as numbers into out. */
  argmax(x: Storage, shape: readonly number[], dim: number, out: Storage): void;
  /** out = x with its axes permuted: out.shape[i] = shape[perm[i]]. */
  permute(x: Storage, shape: readonly number[], perm: readonly number[], out: Storage): void;
  /** Copies x (any float type) into out (any float type), converting. */
  cast(x: Storage, out: Storage): void;
  /**
   * Strided copy: out[outOffset + idx·outStrides] = x[xOffset + idx·xStrides] over `shape`.
   * Slicing, padding, concatenation and stacking are all this one kernel.
   */
  copyStrided(x: Storage, xOffset: number, xStrides: readonly number[], out: Storage, outOffset: number,
    outStrides: readonly number[], shape: readonly number[]): void;
  /** out[..., j, ...] = x[..., index[..., j, ...], ...] along `dim`; index has out's shape. */
  gather(x: Storage, xShape: readonly number[], dim: number, index: Storage, out: Storage,
    outShape: readonly number[]): void;
  /** out[..., index[..., j, ...], ...] += src[..., j, ...] along `dim` (the adjoint of gather). */
  scatterAdd(src: Storage, srcShape: readonly number[], dim: number, index: Storage, out: Storage,
    outShape: readonly number[]): void;
  /** out[i·rowSize ..] = x[indices[i]·rowSize ..] for each i: a batch of whole rows (indices already checked). */
  takeRows(x: Storage, rowSize: number, indices: Int32Array, out: Storage): void;
  /** A hint that takeRows(x, rowSize, indices, ..) comes soon: start fetching those rows (indices already checked). */
  prefetchRows(x: Storage, rowSize: number, indices: Int32Array): void;
  /**
   * takeRows done ahead by idle pool threads while the caller goes on; gatherRowsFinish(handle)
   * returns once every row is in `out`. The handle holds x and out until then. Absent where
   * there is no thread pool (js).
   */
  gatherRowsStart?(x: Storage, rowSize: number, indices: Int32Array, out: Storage): GatherHandle;
  gatherRowsFinish?(handle: GatherHandle): void;
}

/** What gatherRowsStart returns: opaque, for gatherRowsFinish. */
export interface GatherHandle {
  readonly __gatherHandle: unique symbol;
}

// ---------------------------------------------------------------- fused nn kernels
// (src/ops/fused.ts, src/ops/activation.ts; reference in js-fused.ts, native ones in native.ts)

/** Activations the GEMM epilogue applies (the native addon's names). */
export type FusedActivation = 'identity' | 'relu' | 'leakyRelu' | 'elu' | 'gelu' | 'silu' | 'sigmoid' | 'tanh';
/** Every pointwise activation kernel: the fused ones plus those only the js kernels provide. */
export type ActivationKind = FusedActivation | 'erf' | 'softplus' | 'heaviside';

export interface FusedKernels {
  /** out[m,n] = act(x[m,k]·w[n,k]ᵀ + bias[n]): one GEMM whose epilogue adds the bias and applies act. */
  linearForward(x: Storage, w: Storage, bias: Storage | null, activation: FusedActivation, actParam: number,
    out: Storage, m: number, n: number, k: number): void;
  /** out = act(x) elementwise; actParam is the negative slope (leakyRelu) or alpha (elu). */
  activationForward(activation: ActivationKind, actParam: number, x: Storage, out: Storage): void;
  /** out = dy·act'(·) from the saved output y, or from the input x where y does not determine it. */
  activationBackward(activation: ActivationKind, actParam: number, dy: Storage, y: Storage, x: Storage | null, out: Storage): void;
  /** out[j] = Σ_i dy[i,j] over an [m,n] gradient (the bias gradient). */
  biasGrad(dy: Storage, m: number, n: number, out: Storage): void;
  /** Per-row loss lse(logits_i) - logits_i[t_i] into outLoss[m], and softmax into outProb[m,n]. */
  /**
   * Softmax (log: log-softmax) along the middle axis of x viewed as [outer, run, inner]:
   * exp(x - max) / Σ exp(x - max), or (x - max) - log Σ exp(x - max); out must not overlap x.
   */
  softmax(log: boolean, x: Storage, outer: number, run: number, inner: number, out: Storage): void;
  softmaxCrossEntropy(logits: Storage, m: number, n: number, targets: Int32Array, outLoss: Storage, outProb: Storage): void;
  /** out[i,j] = (prob[i,j] - [j == t_i])·gradLoss[i]. */
  softmaxCrossEntropyBackward(prob: Storage, targets: Int32Array, gradLoss: Storage, out: Storage): void;
}

/** Declaration merging adds the fused kernels to Backend without touching its body. */
export interface Backend extends FusedKernels {}

// ---------------------------------------------------------------- linear algebra kernels
// (src/ops/linalg.ts; reference in js-linalg.ts)

export interface LinalgKernels {
  /**
   * In-place LU factorisation with partial pivoting of `batch` row-major n×n matrices:
   * P A = L U, unit-diagonal L below the diagonal of `lu`, U on and above it. Writes each
   * matrix's row swaps into `pivots[q*n .. q*n+n)` and its permutation sign (±1) into
   * `signs[q]`, or 0 when a pivot is exactly zero (singular).
   */
  luFactor(lu: Storage, n: number, batch: number, pivots: Int32Array, signs: Float64Array): void;
  /** Solves A X = B in place of B (n×nrhs per matrix) from luFactor's result for each of the batch. */
  luSolve(lu: Storage, n: number, batch: number, pivots: Int32Array, b: Storage, nrhs: number): void;
}

/** Declaration merging adds the linear algebra kernels to Backend without touching its body. */
export interface Backend extends LinalgKernels {}

// ---------------------------------------------------------------- optimizer kernels
// (src/optim: the algorithms stay there; these are their per-array inner loops;
// reference in js-optim.ts, native in native/kernels/optim_update.cc)

/** Per-step coefficients of one Adam(W) update (see js-optim.ts for the rule). */
export interface AdamCoefficients {
  stepSize: number;
  bc2Sqrt: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** L2 weight decay added to the gradient (Adam); 0 for AdamW. */
  l2: number;
  /** Decoupled decay factor 1 - lr·wd (AdamW); 1 for Adam. */
  shrink: number;
  /** -1 to maximize. */
  sign: number;
}

/** Per-step coefficients of one SGD update. */
export interface SgdCoefficients {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  sign: number;
  nesterov: boolean;
  /** The momentum buffer is new: it takes d as it is. */
  first: boolean;
}

export interface OptimizerKernels {
  /** One Adam(W) step over w in place; vmax non-null under amsgrad. All arrays of one dtype and length. */
  adamUpdate(w: Storage, g: Storage, m: Storage, v: Storage, vmax: Storage | null, c: AdamCoefficients): void;
  /** One SGD step over w in place; buf null without momentum. */
  sgdUpdate(w: Storage, g: Storage, buf: Storage | null, c: SgdCoefficients): void;
  /**
   * adamUpdate over many parameters with one set of coefficients: index i of every list is
   * one parameter (one dtype for all). The native kernel splits all their elements over the
   * pool in one hand-off; no array written may share memory with another.
   */
  adamUpdateMany(ws: Storage[], gs: Storage[], ms: Storage[], vs: Storage[], vmaxs: Storage[] | null, c: AdamCoefficients): void;
  /** sgdUpdate over many parameters, as adamUpdateMany; bufs null without momentum. */
  sgdUpdateMany(ws: Storage[], gs: Storage[], bufs: Storage[] | null, c: SgdCoefficients): void;
}

/** Declaration merging adds the optimizer kernels to Backend without touching its body. */
export interface Backend extends OptimizerKernels {}
