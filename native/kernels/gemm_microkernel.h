// The per-ISA part of GEMM: an MR x NR micro-kernel plus the cache blocks tuned for it.
// Everything else (blocking loops, packing, threads) is portable C++ in gemm_driver.cc.
#pragma once

#include <cstddef>

#include "activation.h"
#include "cpu_features.h"

namespace myelin {

// Computes one C tile from packed panels:
//   acc(i,j) = sum_p a_packed[p*MR + i] * b_packed[p*NR + j]      p = 0..kc-1, in order
//   C(i,j)   = alpha*acc(i,j) + beta*C(i,j)    for i < mr, j < nr (beta == 0: C not read)
// Panels are zero-padded to the full MR x NR, so a kernel may compute the whole tile
// and only mask what it stores; edge tiles (mr < MR, nr < NR) must be handled inside.
template <typename T>
using GemmUkernel = void (*)(size_t kc, const T* a_packed, const T* b_packed, T* c, size_t ldc,
                             size_t mr, size_t nr, T alpha, T beta);

// The same tile, but reading A in place (not transposed): a[i*lda + p]. Rows i >= mr are
// never read. Used where each A element is needed once (n <= NR), so that packing A
// would cost more than the product itself; gives the same bits as the packed path.
template <typename T>
using GemmUkernelDirectA = void (*)(size_t kc, const T* a, size_t lda, const T* b_packed, T* c,
                                    size_t ldc, size_t mr, size_t nr, T alpha, T beta);

// A full MR x NR tile (mr == MR, nr == NR) with B not transposed read in place, row p at
// b + p*ldb, and copied on the way into the packed micro-panel b_packed (kc x NR, the
// layout the packed kernels read): the first tile to meet a B micro-panel packs it, which
// saves the separate packing pass over B. A as in GemmUkernel (lda unused) or, for the
// direct-A form, GemmUkernelDirectA. Same arithmetic as the packed kernel: same bits.
template <typename T>
using GemmUkernelPackB = void (*)(size_t kc, const T* a, size_t lda, const T* b, size_t ldb, T* b_packed,
                                  T* c, size_t ldc, T alpha, T beta);

template <typename T>
struct GemmKernelConfig {
  const char* name = nullptr;
  GemmUkernel<T> ukernel = nullptr;
  size_t mr = 1, nr = 1;        // register tile
  size_t mc = 1, kc = 1, nc = 1;  // cache blocks: mc % mr == 0, nc % nr == 0
  GemmUkernelDirectA<T> ukernel_direct_a = nullptr;  // optional
  // Optional, both or neither: B packed by the first tile that reads it (A packed / in place).
  GemmUkernelPackB<T> ukernel_pack_b = nullptr;
  GemmUkernelPackB<T> ukernel_direct_a_pack_b = nullptr;
};

// C = alpha * A * B^T + beta * C for rows [i0, i1) and columns [j0, j1) of C, with A
// (m x k) and B (n x k) both row-major: each C element is one dot product along k, so
// nothing is packed. For a small m, packing B^T costs about as much as the product (the
// forward pass of a Linear layer at batch 32: B is the weight, read once per row panel).
// Each element's sum runs in a fixed order (8 partial sums, then a fixed reduction), so
// its bits do not depend on the range it was computed in.
template <typename T>
using GemmDotNt = void (*)(size_t k, T alpha, const T* a, size_t lda, const T* b, size_t ldb,
                           T beta, T* c, size_t ldc, size_t i0, size_t i1, size_t j0, size_t j1);

// `wide` is the main kernel; `narrow` (a smaller NR and larger MR) serves problems
// with n <= narrow.nr, such as a 10-class output layer, without computing mostly padding.
template <typename T>
struct GemmKernelSet {
  GemmKernelConfig<T> wide;
  GemmKernelConfig<T> narrow;
  // Optional; used for A * B^T with m <= dot_nt_max_m, or n <= 16 and m <= 4 * dot_nt_max_m
  // (a narrow output: the packed kernels compute mostly padding there).
  GemmDotNt<T> dot_nt = nullptr;
  size_t dot_nt_max_m = 0;
  // Optional: tiles vectorised along M (MR rows by up to NR columns), for n <= cols_max_n
  // and m >= cols.mr, where even `narrow` would leave most of its vector lanes idle.
  GemmKernelConfig<T> cols = {};
  size_t cols_max_n = 0;
  // Optional: A * op(B) as dot products with A not transposed, for n <= dot_narrow_max_n
  // (B not transposed is transposed first: n x k is small) and for A * B^T with few rows
  // (see the driver's kDotFewRows*). Bits independent of the range split.
  GemmDotNt<T> dot_narrow = nullptr;
  size_t dot_narrow_max_n = 0;
  // A * B^T with fewer rows than columns may run as its transpose, B * A^T, into a scratch
  // that is then transposed into C (the driver's gemm_nt_transposed): `wide` then reads
  // B in place through its ukernel_direct_a and packs A^T instead of B^T. Set per ISA
  // where measured.
  bool nt_via_transpose = false;
};

GemmKernelSet<float> f32_gemm_kernels_scalar();
GemmKernelSet<double> f64_gemm_kernels_scalar();
#if defined(__x86_64__)
GemmKernelSet<float> f32_gemm_kernels_avx2();
GemmKernelSet<double> f64_gemm_kernels_avx2();
GemmKernelSet<float> f32_gemm_kernels_avx512();
GemmKernelSet<double> f64_gemm_kernels_avx512();
#endif

// The kernels in use, filled once at load from the reference upward (see gemm_dispatch.cc):
// the GEMM micro-kernels and the elementwise nn kernels of the same ISA (its epilogue).
struct GemmDispatch {
  Isa isa = Isa::scalar;
  GemmKernelSet<float> f32;
  GemmKernelSet<double> f64;
  ActivationKernels<float> act_f32;
  ActivationKernels<double> act_f64;
};

// Kernels for `isa` (which the caller must have checked the CPU supports).
GemmDispatch gemm_dispatch_for(Isa isa);

// The process-wide table: MYELIN_ISA if set and supported, else the best ISA.
const GemmDispatch& gemm_dispatch();

// Replaces the process-wide table (tests walk every ISA). Asking for an ISA the CPU
// lacks selects the best available one; returns the ISA really used.
Isa select_gemm_isa(Isa wanted);

}  // namespace myelin
