// AVX2+FMA GEMM micro-kernels (16 ymm registers). Only these functions carry the
// target attribute; the file itself is compiled for baseline x86-64.
//
// Full tiles store with plain vector stores; edge tiles (mr < MR or nr < NR) use
// vmaskmov, which never faults on the masked-out lanes past the end of C. Both paths do
// the same arithmetic, so an element's value does not depend on where its tile falls.
#if defined(__x86_64__)
#include <immintrin.h>

#include <algorithm>

#include "gemm_microkernel.h"

#define MYELIN_TARGET_AVX2 __attribute__((target("avx2,fma"), always_inline)) inline

namespace myelin {
namespace {

struct Avx2F32 {
  using T = float;
  using Reg = __m256;
  using Mask = __m256i;
  static constexpr size_t kWidth = 8;
  MYELIN_TARGET_AVX2 static Reg zero() { return _mm256_setzero_ps(); }
  MYELIN_TARGET_AVX2 static Reg load(const T* p) { return _mm256_loadu_ps(p); }
  MYELIN_TARGET_AVX2 static void store(T* p, Reg v) { _mm256_storeu_ps(p, v); }
  MYELIN_TARGET_AVX2 static Reg broadcast(T x) { return _mm256_set1_ps(x); }
  MYELIN_TARGET_AVX2 static Reg fmadd(Reg a, Reg b, Reg c) { return _mm256_fmadd_ps(a, b, c); }
  MYELIN_TARGET_AVX2 static Reg mul(Reg a, Reg b) { return _mm256_mul_ps(a, b); }
  MYELIN_TARGET_AVX2 static Mask first(size_t n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)),
                              _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  MYELIN_TARGET_AVX2 static Reg load(Mask m, const T* p) { return _mm256_maskload_ps(p, m); }
  MYELIN_TARGET_AVX2 static void store(Mask m, T* p, Reg v) { _mm256_maskstore_ps(p, m, v); }
};

struct Avx2F64 {
  using T = double;
  using Reg = __m256d;
  using Mask = __m256i;
  static constexpr size_t kWidth = 4;
  MYELIN_TARGET_AVX2 static Reg zero() { return _mm256_setzero_pd(); }
  MYELIN_TARGET_AVX2 static Reg load(const T* p) { return _mm256_loadu_pd(p); }
  MYELIN_TARGET_AVX2 static void store(T* p, Reg v) { _mm256_storeu_pd(p, v); }
  MYELIN_TARGET_AVX2 static Reg broadcast(T x) { return _mm256_set1_pd(x); }
  MYELIN_TARGET_AVX2 static Reg fmadd(Reg a, Reg b, Reg c) { return _mm256_fmadd_pd(a, b, c); }
  MYELIN_TARGET_AVX2 static Reg mul(Reg a, Reg b) { return _mm256_mul_pd(a, b); }
  MYELIN_TARGET_AVX2 static Mask first(size_t n) {
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x(static_cast<long long>(n)),
                              _mm256_setr_epi64x(0, 1, 2, 3));
  }
  MYELIN_TARGET_AVX2 static Reg load(Mask m, const T* p) { return _mm256_maskload_pd(p, m); }
  MYELIN_TARGET_AVX2 static void store(Mask m, T* p, Reg v) { _mm256_maskstore_pd(p, m, v); }
};

// MR rows x (NV * kWidth) columns. See GemmUkernel for the contract.
template <class V, size_t MR, size_t NV>
MYELIN_TARGET_AVX2 void gemm_ukernel_avx2(size_t kc, const typename V::T* a,
                                          const typename V::T* b, typename V::T* c, size_t ldc,
                                          size_t mr, size_t nr, typename V::T alpha,
                                          typename V::T beta) {
  using Reg = typename V::Reg;
  using T = typename V::T;
  constexpr size_t W = V::kWidth;
  Reg acc[MR][NV];
#pragma GCC unroll 16
  for (size_t i = 0; i < MR; ++i) {
#pragma GCC unroll 4
    for (size_t j = 0; j < NV; ++j) acc[i][j] = V::zero();
  }
  for (size_t p = 0; p < kc; ++p) {
    Reg bv[NV];
#pragma GCC unroll 4
    for (size_t j = 0; j < NV; ++j) bv[j] = V::load(b + j * W);
#pragma GCC unroll 16
    for (size_t i = 0; i < MR; ++i) {
      const Reg ai = V::broadcast(a[i]);
#pragma GCC unroll 4
      for (size_t j = 0; j < NV; ++j) acc[i][j] = V::fmadd(ai, bv[j], acc[i][j]);
    }
    a += MR;
    b += NV * W;
  }
  const Reg valpha = V::broadcast(alpha), vbeta = V::broadcast(beta);
  if (mr == MR && nr == NV * W) {
#pragma GCC unroll 16
    for (size_t i = 0; i < MR; ++i) {
#pragma GCC unroll 4
      for (size_t j = 0; j < NV; ++j) {
        T* out = c + i * ldc + j * W;
        Reg r = V::mul(valpha, acc[i][j]);
        if (beta != T(0)) r = V::fmadd(vbeta, V::load(out), r);
        V::store(out, r);
      }
    }
    return;
  }
  typename V::Mask mask[NV];
#pragma GCC unroll 4
  for (size_t j = 0; j < NV; ++j) mask[j] = V::first(nr > j * W ? std::min(W, nr - j * W) : 0);
#pragma GCC unroll 16
  for (size_t i = 0; i < MR; ++i) {
    if (i >= mr) break;
#pragma GCC unroll 4
    for (size_t j = 0; j < NV; ++j) {
      T* out = c + i * ldc + j * W;
      Reg r = V::mul(valpha, acc[i][j]);
      if (beta != T(0)) r = V::fmadd(vbeta, V::load(mask[j], out), r);
      V::store(mask[j], out, r);
    }
  }
}

}  // namespace

__attribute__((target("avx2,fma"))) void f32_gemm_ukernel_6x16_avx2(
    size_t kc, const float* a, const float* b, float* c, size_t ldc, size_t mr, size_t nr,
    float alpha, float beta) {
  gemm_ukernel_avx2<Avx2F32, 6, 2>(kc, a, b, c, ldc, mr, nr, alpha, beta);
}

__attribute__((target("avx2,fma"))) void f32_gemm_ukernel_12x8_avx2(
    size_t kc, const float* a, const float* b, float* c, size_t ldc, size_t mr, size_t nr,
    float alpha, float beta) {
  gemm_ukernel_avx2<Avx2F32, 12, 1>(kc, a, b, c, ldc, mr, nr, alpha, beta);
}

__attribute__((target("avx2,fma"))) void f64_gemm_ukernel_6x8_avx2(
    size_t kc, const double* a, const double* b, double* c, size_t ldc, size_t mr, size_t nr,
    double alpha, double beta) {
  gemm_ukernel_avx2<Avx2F64, 6, 2>(kc, a, b, c, ldc, mr, nr, alpha, beta);
}

__attribute__((target("avx2,fma"))) void f64_gemm_ukernel_12x4_avx2(
    size_t kc, const double* a, const double* b, double* c, size_t ldc, size_t mr, size_t nr,
    double alpha, double beta) {
  gemm_ukernel_avx2<Avx2F64, 12, 1>(kc, a, b, c, ldc, mr, nr, alpha, beta);
}

// Blocks: A micro-panel (MR x KC) in L1, packed B block (KC x NC) in L2.
GemmKernelSet<float> f32_gemm_kernels_avx2() {
  return {{"f32_gemm_ukernel_6x16_avx2", f32_gemm_ukernel_6x16_avx2, 6, 16, 144, 384, 512},
          {"f32_gemm_ukernel_12x8_avx2", f32_gemm_ukernel_12x8_avx2, 12, 8, 144, 384, 8}};
}

GemmKernelSet<double> f64_gemm_kernels_avx2() {
  return {{"f64_gemm_ukernel_6x8_avx2", f64_gemm_ukernel_6x8_avx2, 6, 8, 144, 192, 512},
          {"f64_gemm_ukernel_12x4_avx2", f64_gemm_ukernel_12x4_avx2, 12, 4, 144, 192, 4}};
}

}  // namespace myelin
#endif  // __x86_64__
