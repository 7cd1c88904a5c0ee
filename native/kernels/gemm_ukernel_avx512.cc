// AVX-512 GEMM micro-kernels. Only the functions below carry the AVX-512 target
// attribute; the file is compiled for baseline x86-64 like the rest, and these run
// only when gemm_dispatch() found AVX-512 in CPUID and the ZMM state enabled in XCR0.
//
// Tile layout: C rows are vectorised along N (NV vectors of 16 floats / 8 doubles);
// each step broadcasts MR values of A and does MR*NV FMAs. Edge tiles use masked
// loads/stores (which also never fault past the end of C), so there is no scalar tail.
#if defined(__x86_64__)
#include <immintrin.h>

#include <algorithm>

#include "gemm_microkernel.h"

#define MYELIN_TARGET_AVX512 \
  __attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,fma"), always_inline)) inline

namespace myelin {
namespace {

struct Avx512F32 {
  using T = float;
  using Reg = __m512;
  using Mask = __mmask16;
  static constexpr size_t kWidth = 16;
  MYELIN_TARGET_AVX512 static Reg zero() { return _mm512_setzero_ps(); }
  MYELIN_TARGET_AVX512 static Reg load(const T* p) { return _mm512_loadu_ps(p); }
  MYELIN_TARGET_AVX512 static Reg broadcast(T x) { return _mm512_set1_ps(x); }
  MYELIN_TARGET_AVX512 static Reg fmadd(Reg a, Reg b, Reg c) { return _mm512_fmadd_ps(a, b, c); }
  MYELIN_TARGET_AVX512 static Reg mul(Reg a, Reg b) { return _mm512_mul_ps(a, b); }
  MYELIN_TARGET_AVX512 static Mask first(size_t n) { return static_cast<Mask>((1u << n) - 1u); }
  MYELIN_TARGET_AVX512 static Reg load(Mask m, const T* p) { return _mm512_maskz_loadu_ps(m, p); }
  MYELIN_TARGET_AVX512 static void store(Mask m, T* p, Reg v) { _mm512_mask_storeu_ps(p, m, v); }
};

struct Avx512F64 {
  using T = double;
  using Reg = __m512d;
  using Mask = __mmask8;
  static constexpr size_t kWidth = 8;
  MYELIN_TARGET_AVX512 static Reg zero() { return _mm512_setzero_pd(); }
  MYELIN_TARGET_AVX512 static Reg load(const T* p) { return _mm512_loadu_pd(p); }
  MYELIN_TARGET_AVX512 static Reg broadcast(T x) { return _mm512_set1_pd(x); }
  MYELIN_TARGET_AVX512 static Reg fmadd(Reg a, Reg b, Reg c) { return _mm512_fmadd_pd(a, b, c); }
  MYELIN_TARGET_AVX512 static Reg mul(Reg a, Reg b) { return _mm512_mul_pd(a, b); }
  MYELIN_TARGET_AVX512 static Mask first(size_t n) { return static_cast<Mask>((1u << n) - 1u); }
  MYELIN_TARGET_AVX512 static Reg load(Mask m, const T* p) { return _mm512_maskz_loadu_pd(m, p); }
  MYELIN_TARGET_AVX512 static void store(Mask m, T* p, Reg v) { _mm512_mask_storeu_pd(p, m, v); }
};

// MR rows x (NV * kWidth) columns. See GemmUkernel for the contract. kDirectA: A is
// read in place, row i at a + i*lda (GemmUkernelDirectA), instead of a packed panel.
// kAStride: rows per packed A step, MR unless a short edge tile reads a wider panel.
// kBStride: vectors per packed B step, NV unless an edge tile of at most 16 columns
// computes only the first vector of a wider panel.
template <class V, size_t MR, size_t NV, bool kDirectA = false, size_t kAStride = MR,
          size_t kBStride = NV>
MYELIN_TARGET_AVX512 void gemm_ukernel_avx512(size_t kc, const typename V::T* a, size_t lda,
                                              const typename V::T* b, typename V::T* c,
                                              size_t ldc, size_t mr, size_t nr,
                                              typename V::T alpha, typename V::T beta) {
  using Reg = typename V::Reg;
  constexpr size_t W = V::kWidth;
  // Rows past mr re-read the last valid row (never memory past the end of A).
  const typename V::T* rows[kDirectA ? MR : 1];
  if (kDirectA) {
    for (size_t i = 0; i < MR; ++i) rows[i] = a + std::min(i, mr - 1) * lda;
  }
  Reg acc[MR][NV];
#pragma GCC unroll 32
  for (size_t i = 0; i < MR; ++i) {
#pragma GCC unroll 4
    for (size_t j = 0; j < NV; ++j) acc[i][j] = V::zero();
  }
  // The C tile is read or written only at the end; start fetching it now.
#pragma GCC unroll 32
  for (size_t i = 0; i < MR; ++i) {
    if (i < mr) {
      _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc), _MM_HINT_T0);
      _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc + NV * W - 1), _MM_HINT_T0);
    }
  }
  for (size_t p = 0; p < kc; ++p) {
    Reg bv[NV];
#pragma GCC unroll 4
    for (size_t j = 0; j < NV; ++j) bv[j] = V::load(b + j * W);
#pragma GCC unroll 32
    for (size_t i = 0; i < MR; ++i) {
      const Reg ai = V::broadcast(kDirectA ? rows[i][p] : a[i]);
#pragma GCC unroll 4
      for (size_t j = 0; j < NV; ++j) acc[i][j] = V::fmadd(ai, bv[j], acc[i][j]);
    }
    if (!kDirectA) a += kAStride;
    b += kBStride * W;
  }
  const Reg valpha = V::broadcast(alpha), vbeta = V::broadcast(beta);
  typename V::Mask mask[NV];
#pragma GCC unroll 4
  for (size_t j = 0; j < NV; ++j) mask[j] = V::first(nr > j * W ? std::min(W, nr - j * W) : 0);
#pragma GCC unroll 32
  for (size_t i = 0; i < MR; ++i) {
    if (i >= mr) break;
    typename V::T* row = c + i * ldc;
#pragma GCC unroll 4
    for (size_t j = 0; j < NV; ++j) {
      Reg r = V::mul(valpha, acc[i][j]);
      if (beta != typename V::T(0)) r = V::fmadd(vbeta, V::load(mask[j], row + j * W), r);
      V::store(mask[j], row + j * W, r);
    }
  }
}

// A 12-row tile with only mr rows valid (the last row panel: square 64 is 5*12 + 4) runs
// a 4- or 8-row kernel instead of computing 12 rows and storing fewer; likewise a tile of
// a 2-vector panel with at most one vector of columns valid (the last column panel of a
// thread's range) computes that vector only. Each C element's sum is the same sequence of
// FMAs, so the bits do not change.
template <class V, size_t NV, size_t kBStride, bool kDirectA>
MYELIN_TARGET_AVX512 void gemm_ukernel_avx512_rows(size_t kc, const typename V::T* a, size_t lda,
                                                   const typename V::T* b, typename V::T* c,
                                                   size_t ldc, size_t mr, size_t nr,
                                                   typename V::T alpha, typename V::T beta) {
  if (mr <= 4) {
    gemm_ukernel_avx512<V, 4, NV, kDirectA, 12, kBStride>(kc, a, lda, b, c, ldc, mr, nr, alpha, beta);
  } else if (mr <= 8) {
    gemm_ukernel_avx512<V, 8, NV, kDirectA, 12, kBStride>(kc, a, lda, b, c, ldc, mr, nr, alpha, beta);
  } else {
    gemm_ukernel_avx512<V, 12, NV, kDirectA, 12, kBStride>(kc, a, lda, b, c, ldc, mr, nr, alpha, beta);
  }
}

template <class V, size_t NV, bool kDirectA>
MYELIN_TARGET_AVX512 void gemm_ukernel_avx512_tile12(size_t kc, const typename V::T* a,
                                                     size_t lda, const typename V::T* b,
                                                     typename V::T* c, size_t ldc, size_t mr,
                                                     size_t nr, typename V::T alpha,
                                                     typename V::T beta) {
  if (NV == 2 && nr <= V::kWidth) {
    gemm_ukernel_avx512_rows<V, 1, NV, kDirectA>(kc, a, lda, b, c, ldc, mr, nr, alpha, beta);
  } else {
    gemm_ukernel_avx512_rows<V, NV, NV, kDirectA>(kc, a, lda, b, c, ldc, mr, nr, alpha, beta);
  }
}

}  // namespace

__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,fma"))) void
f32_gemm_ukernel_12x32_avx512(size_t kc, const float* a, const float* b, float* c, size_t ldc,
                              size_t mr, size_t nr, float alpha, float beta) {
  gemm_ukernel_avx512_tile12<Avx512F32, 2, false>(kc, a, 0, b, c, ldc, mr, nr, alpha, beta);
}

__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,fma"))) void
f32_gemm_ukernel_12x16_avx512(size_t kc, const float* a, const float* b, float* c, size_t ldc,
                              size_t mr, size_t nr, float alpha, float beta) {
  gemm_ukernel_avx512_tile12<Avx512F32, 1, false>(kc, a, 0, b, c, ldc, mr, nr, alpha, beta);
}

__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,fma"))) void
f64_gemm_ukernel_12x16_avx512(size_t kc, const double* a, const double* b, double* c,
                              size_t ldc, size_t mr, size_t nr, double alpha, double beta) {
  gemm_ukernel_avx512_tile12<Avx512F64, 2, false>(kc, a, 0, b, c, ldc, mr, nr, alpha, beta);
}

__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,fma"))) void
f64_gemm_ukernel_24x8_avx512(size_t kc, const double* a, const double* b, double* c,
                             size_t ldc, size_t mr, size_t nr, double alpha, double beta) {
  gemm_ukernel_avx512<Avx512F64, 24, 1>(kc, a, 0, b, c, ldc, mr, nr, alpha, beta);
}

__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,fma"))) void
f32_gemm_ukernel_12x32_direct_a_avx512(size_t kc, const float* a, size_t lda, const float* b,
                                       float* c, size_t ldc, size_t mr, size_t nr, float alpha,
                                       float beta) {
  gemm_ukernel_avx512_tile12<Avx512F32, 2, true>(kc, a, lda, b, c, ldc, mr, nr, alpha, beta);
}

__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,fma"))) void
f32_gemm_ukernel_12x16_direct_a_avx512(size_t kc, const float* a, size_t lda, const float* b,
                                       float* c, size_t ldc, size_t mr, size_t nr, float alpha,
                                       float beta) {
  gemm_ukernel_avx512_tile12<Avx512F32, 1, true>(kc, a, lda, b, c, ldc, mr, nr, alpha, beta);
}

// Blocks: the A micro-panel (MR x KC) stays in the 48 KiB L1, the packed B block
// (KC x NC) in the 2 MiB L2. Tuned with bench/gemm.mjs.
GemmKernelSet<float> f32_gemm_kernels_avx512() {
  return {{"f32_gemm_ukernel_12x32_avx512", f32_gemm_ukernel_12x32_avx512, 12, 32, 144, 384, 512,
           f32_gemm_ukernel_12x32_direct_a_avx512},
          {"f32_gemm_ukernel_12x16_avx512", f32_gemm_ukernel_12x16_avx512, 12, 16, 144, 384, 16,
           f32_gemm_ukernel_12x16_direct_a_avx512}};
}

GemmKernelSet<double> f64_gemm_kernels_avx512() {
  return {{"f64_gemm_ukernel_12x16_avx512", f64_gemm_ukernel_12x16_avx512, 12, 16, 144, 192, 512},
          {"f64_gemm_ukernel_24x8_avx512", f64_gemm_ukernel_24x8_avx512, 24, 8, 144, 192, 8}};
}

}  // namespace myelin
#endif  // __x86_64__
