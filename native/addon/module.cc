// The myelin addon: registers exports only; each area lives in its own *_binding.cc.
//
// Contract of the exports (an index.d.ts for the native module; src/backend/native.ts
// keeps its own types). Every function validates again what TypeScript validated, and
// throws an Error whose message starts with the function name ("gemm: ...").
//
//   type FloatArray = Float32Array | Float64Array;
//
//   /** C = alpha*op(A)*op(B) + beta*C, row-major. op(A) is m x k: A is stored m x k
//    *  with row stride lda, or k x m when transA. a, b, c share one dtype. m or n == 0
//    *  is a no-op; k == 0 gives C = beta*C; beta == 0 ignores C's old contents (NaN
//    *  included). Results are identical for any thread count. */
//   export function gemm(transA: boolean, transB: boolean, m: number, n: number, k: number,
//                        alpha: number, a: FloatArray, lda: number, b: FloatArray,
//                        ldb: number, beta: number, c: FloatArray, ldc: number): void;
//
//   /** gemm over a strided batch: matrix i uses a[i*strideA..], b[i*strideB..],
//    *  c[i*strideC..]. strideA/strideB may be 0 to broadcast one matrix; strideC must be
//    *  >= m*ldc when batch > 1 (C matrices may not overlap). */
//   export function gemmBatched(transA: boolean, transB: boolean, m: number, n: number,
//                               k: number, alpha: number, a: FloatArray, lda: number,
//                               strideA: number, b: FloatArray, ldb: number, strideB: number,
//                               beta: number, c: FloatArray, ldc: number, strideC: number,
//                               batch: number): void;
//
//   /** The ISA really in use (MYELIN_ISA can only lower it), the pool size (caller
//    *  included), and every ISA this machine could run. */
//   export function info(): { isa: 'avx512' | 'avx2' | 'scalar'; threads: number;
//                             available: string[] };
//
//   /** Resizes the kernel thread pool to n threads in total (1 <= n <= 1024). */
//   export function setNumThreads(n: number): void;
//
//   /** One Adam(W) / SGD step over one parameter array, in place (optim_binding.cc). */
//   export function adamUpdate(w, g, m, v, vmax: FloatArray | null, stepSize, bc2Sqrt, beta1,
//                              beta2, eps, l2, shrink, sign): void;
//   export function sgdUpdate(w, g, buf: FloatArray | null, lr, momentum, dampening,
//                             weightDecay, sign, nesterov: boolean, first: boolean): void;
//
//   --- fused nn kernels (a, b, out: one dtype, Float32Array or Float64Array) ---
//   type Activation = 'identity'|'relu'|'leakyRelu'|'elu'|'gelu'|'silu'|'sigmoid'|'tanh';
//
//   /** out[m,n] = act(x[m,k] @ w[n,k]^T + bias[n]); bias and activation are applied in
//    *  the GEMM epilogue as each tile's last K block is written (gelu is the erf form).
//    *  actParam: leakyRelu's negative slope, elu's alpha; ignored otherwise. */
//   export function linearForward(x: FloatArray, w: FloatArray, bias: FloatArray | null,
//                                 activation: Activation, actParam: number, out: FloatArray,
//                                 m: number, n: number, k: number): void;
//
//   /** out = act(x) over out.length elements (x at least as long), the epilogue's
//    *  functions; denormal results flush to zero as they do there. */
//   export function activationForward(activation: Activation, actParam: number,
//                                     x: FloatArray, out: FloatArray): void;
//
//   /** out = dy * act'(.) over dy.length elements: from the saved output y for identity,
//    *  relu, leakyRelu (slope > 0), elu (alpha > 0), sigmoid, tanh (x may be null); from
//    *  x for gelu, silu and leakyRelu/elu with a non-positive parameter (y may be null). */
//   export function activationBackward(activation: Activation, actParam: number,
//                                      dy: FloatArray, y: FloatArray | null,
//                                      x: FloatArray | null, out: FloatArray): void;
//
//   /** out[j] = sum_i dy[i*n + j] (the bias gradient), summed in row order. */
//   export function biasGrad(dy: FloatArray, m: number, n: number, out: FloatArray): void;
//
//   /** Per row: outProb = softmax(logits) (max-subtracted), outLoss[i] =
//    *  logsumexp(logits[i]) - logits[i, targets[i]]. targets in [0, n) or it throws. */
//   export function softmaxCrossEntropy(logits: FloatArray, m: number, n: number,
//                                       targets: Int32Array, outLoss: FloatArray,
//                                       outProb: FloatArray): void;
//
//   /** out[i,j] = g_i * (prob[i,j] - [j == targets[i]]), g = gradLoss[i] or the scalar
//    *  gradLoss; m = targets.length, n = prob.length / m. */
//   export function softmaxCrossEntropyBackward(prob: FloatArray, targets: Int32Array,
//                                               gradLoss: FloatArray | number,
//                                               out: FloatArray): void;
//
//   /** out[i*rowSize ..] = src[indices[i]*rowSize ..] for every i (data_binding.cc); each
//    *  index must lie in [0, src.length / rowSize). src and out share one dtype. */
//   export function takeRows(src: FloatArray, rowSize: number, indices: Int32Array,
//                            out: FloatArray): void;
//
//   /** Starts fetching those rows into the CPU caches (a hint for the next takeRows); the
//    *  same index checks. */
//   export function prefetchRows(src: FloatArray, rowSize: number, indices: Int32Array): void;
//
//   --- general elementwise kernels (elementwise_binding.cc; the TypeScript backend's
//   --- unary, binary, where, reduce and copyStrided, which they match: elementwise.h) ---
//   /** Shapes and strides: Arrays of at most 16 non-negative integers; every strided
//    *  operand must stay inside its array, or the call throws before any work. */
//   export function unary(kind: UnaryKind, x: FloatArray, out: FloatArray): void;
//   /** out (contiguous over shape) = kind(a, b); a null stride list reads contiguously,
//    *  a stride of 0 broadcasts. */
//   export function binary(kind: BinaryKind, a: FloatArray, aStrides: number[] | null,
//                          b: FloatArray, bStrides: number[] | null, out: FloatArray,
//                          shape: number[]): void;
//   /** out (contiguous over shape) = cond != 0 ? a : b (NaN counts as true); all one dtype. */
//   export function where(cond: FloatArray, condStrides: number[], a: FloatArray,
//                         aStrides: number[], b: FloatArray, bStrides: number[],
//                         out: FloatArray, shape: number[]): void;
//   /** x viewed as [outer, run, inner]: out[o, i] = sum or max over r of x[o, r, i]. */
//   export function reduce(kind: 'sum' | 'max', x: FloatArray, outer: number, run: number,
//                          inner: number, out: FloatArray): void;
//   /** Softmax (log: log-softmax) along the run axis of x viewed as [outer, run, inner],
//    *  max-shifted; out must not overlap x. */
//   export function softmax(log: boolean, x: FloatArray, outer: number, run: number,
//                           inner: number, out: FloatArray): void;
//   /** out[outOffset + i.outStrides] = x[xOffset + i.xStrides] over shape; no dim of size
//    *  > 1 may have an out stride of 0. */
//   export function copyStrided(x: FloatArray, xOffset: number, xStrides: number[],
//                               out: FloatArray, outOffset: number, outStrides: number[],
//                               shape: number[]): void;
#include <napi.h>

#if defined(__unix__) || defined(__APPLE__)
#include <dlfcn.h>
#endif

#include <cstdlib>
#include <cstring>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "bindings.h"

namespace {

// A training step frees megabytes of tensor storage (last step's activations and
// gradients) and allocates the same sizes again. With glibc's defaults, blocks above
// the dynamic mmap threshold come from fresh mmaps, and free memory at the top of the
// heap goes back to the kernel past 128 KiB, so the next step faults every page in again
// (784-512-256-10 at batch 128: ~85 page faults and ~0.2 ms of kernel time per step).
// Raising both thresholds keeps that memory in the heap for the next step. Peak RSS is
// unchanged (the memory was in use at the peak anyway); what stays is at most the
// trim threshold of free heap. Skipped when MYELIN_MALLOC_TUNING=0 or when the user
// tunes malloc through GLIBC_TUNABLES.
void tune_malloc() {
#if defined(__GLIBC__)
  const char* opt_out = std::getenv("MYELIN_MALLOC_TUNING");
  if (opt_out != nullptr && std::strcmp(opt_out, "0") == 0) return;
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables != nullptr && std::strstr(tunables, "glibc.malloc.") != nullptr) return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest allowed value on 64-bit
  mallopt(M_TRIM_THRESHOLD, 128 << 20);
#endif
}

// The kernel thread pool is process-wide and never stops, so its threads run this library's
// code for as long as the process lives. Node unloads an addon when the last environment
// that loaded it goes away: a worker thread that used myelin (and no other thread did) took
// the code from under the pool's threads as it ended, and the process died of SIGSEGV.
// Marking the library never-unload (RTLD_NODELETE on the copy already loaded) prevents it.
void pin_library() {
#if defined(__unix__) || defined(__APPLE__)
  static const bool pinned = [] {
    Dl_info info;
    if (dladdr(reinterpret_cast<void*>(&pin_library), &info) == 0 || info.dli_fname == nullptr) return false;
    return dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE) != nullptr;
  }();
  (void)pinned;
#endif
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  pin_library();
  tune_malloc();
  myelin_addon::register_gemm(env, exports);
  myelin_addon::register_runtime(env, exports);
  myelin_addon::register_nn(env, exports);
  myelin_addon::register_data(env, exports);
  myelin_addon::register_optim(env, exports);
  myelin_addon::register_elementwise(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(myelin, Init)
