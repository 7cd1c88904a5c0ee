// AVX-512 vectors for the generic elementwise code (vec_math.h, activation_simd.h).
//
// Every operation carries the AVX-512 target attribute but is NOT always_inline: the
// generic templates that call them have no target of their own, and GCC refuses to force
// a target-specific function into one. The per-ISA entry points are declared
// `target(...), flatten`, which inlines the whole generic call tree into them, so the
// result is one straight AVX-512 function without calls (see activation_avx512.cc).
//
// max(a, b) / min(a, b) return b when either is NaN (the x86 rule); the generic code
// passes the data as b, so a NaN input stays NaN.
#pragma once
#if defined(__x86_64__)
#include <immintrin.h>

#include <cstddef>

#define MYELIN_AVX512_OP __attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,fma"))) static inline

namespace myelin {
namespace simd {

struct Avx512F32 {
  using T = float;
  using Reg = __m512;
  using Mask = __mmask16;
  static constexpr size_t kWidth = 16;
  MYELIN_AVX512_OP Reg set1(T x) { return _mm512_set1_ps(x); }
  MYELIN_AVX512_OP Reg load(const T* p) { return _mm512_loadu_ps(p); }
  MYELIN_AVX512_OP void store(T* p, Reg v) { _mm512_storeu_ps(p, v); }
  // The first n < kWidth lanes; masked-out lanes are never touched (no fault past the end).
  MYELIN_AVX512_OP Reg load_first(const T* p, size_t n) { return _mm512_maskz_loadu_ps(first(n), p); }
  MYELIN_AVX512_OP void store_first(T* p, size_t n, Reg v) { _mm512_mask_storeu_ps(p, first(n), v); }
  MYELIN_AVX512_OP Reg add(Reg a, Reg b) { return _mm512_add_ps(a, b); }
  MYELIN_AVX512_OP Reg sub(Reg a, Reg b) { return _mm512_sub_ps(a, b); }
  MYELIN_AVX512_OP Reg mul(Reg a, Reg b) { return _mm512_mul_ps(a, b); }
  MYELIN_AVX512_OP Reg div(Reg a, Reg b) { return _mm512_div_ps(a, b); }
  MYELIN_AVX512_OP Reg fmadd(Reg a, Reg b, Reg c) { return _mm512_fmadd_ps(a, b, c); }    // a*b + c
  MYELIN_AVX512_OP Reg fnmadd(Reg a, Reg b, Reg c) { return _mm512_fnmadd_ps(a, b, c); }  // c - a*b
  MYELIN_AVX512_OP Reg fmsub(Reg a, Reg b, Reg c) { return _mm512_fmsub_ps(a, b, c); }    // a*b - c
  MYELIN_AVX512_OP Reg max(Reg a, Reg b) { return _mm512_max_ps(a, b); }
  MYELIN_AVX512_OP Reg min(Reg a, Reg b) { return _mm512_min_ps(a, b); }
  MYELIN_AVX512_OP Reg abs(Reg a) { return _mm512_abs_ps(a); }
  // |mag| with the sign bit of `sign`.
  MYELIN_AVX512_OP Reg copysign(Reg mag, Reg sign) {
    return _mm512_castsi512_ps(_mm512_ternarylogic_epi32(
        _mm512_castps_si512(mag), _mm512_castps_si512(sign), _mm512_set1_epi32(0x7fffffff), 0xe4));
  }
  MYELIN_AVX512_OP Mask gt(Reg a, Reg b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
  MYELIN_AVX512_OP Mask lt(Reg a, Reg b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
  MYELIN_AVX512_OP Reg select(Mask m, Reg if_true, Reg if_false) { return _mm512_mask_blend_ps(m, if_false, if_true); }
  MYELIN_AVX512_OP Reg round(Reg a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  // p * 2^n for integral n (any range: overflow gives inf, underflow 0 or a subnormal).
  MYELIN_AVX512_OP Reg scale(Reg p, Reg n) { return _mm512_scalef_ps(p, n); }
  MYELIN_AVX512_OP Mask first(size_t n) { return static_cast<Mask>((1u << n) - 1u); }
};

struct Avx512F64 {
  using T = double;
  using Reg = __m512d;
  using Mask = __mmask8;
  static constexpr size_t kWidth = 8;
  MYELIN_AVX512_OP Reg set1(T x) { return _mm512_set1_pd(x); }
  MYELIN_AVX512_OP Reg load(const T* p) { return _mm512_loadu_pd(p); }
  MYELIN_AVX512_OP void store(T* p, Reg v) { _mm512_storeu_pd(p, v); }
  MYELIN_AVX512_OP Reg load_first(const T* p, size_t n) { return _mm512_maskz_loadu_pd(first(n), p); }
  MYELIN_AVX512_OP void store_first(T* p, size_t n, Reg v) { _mm512_mask_storeu_pd(p, first(n), v); }
  MYELIN_AVX512_OP Reg add(Reg a, Reg b) { return _mm512_add_pd(a, b); }
  MYELIN_AVX512_OP Reg sub(Reg a, Reg b) { return _mm512_sub_pd(a, b); }
  MYELIN_AVX512_OP Reg mul(Reg a, Reg b) { return _mm512_mul_pd(a, b); }
  MYELIN_AVX512_OP Reg div(Reg a, Reg b) { return _mm512_div_pd(a, b); }
  MYELIN_AVX512_OP Reg fmadd(Reg a, Reg b, Reg c) { return _mm512_fmadd_pd(a, b, c); }
  MYELIN_AVX512_OP Reg fnmadd(Reg a, Reg b, Reg c) { return _mm512_fnmadd_pd(a, b, c); }
  MYELIN_AVX512_OP Reg fmsub(Reg a, Reg b, Reg c) { return _mm512_fmsub_pd(a, b, c); }
  MYELIN_AVX512_OP Reg max(Reg a, Reg b) { return _mm512_max_pd(a, b); }
  MYELIN_AVX512_OP Reg min(Reg a, Reg b) { return _mm512_min_pd(a, b); }
  MYELIN_AVX512_OP Reg abs(Reg a) { return _mm512_abs_pd(a); }
  MYELIN_AVX512_OP Reg copysign(Reg mag, Reg sign) {
    return _mm512_castsi512_pd(_mm512_ternarylogic_epi64(_mm512_castpd_si512(mag), _mm512_castpd_si512(sign),
                                                         _mm512_set1_epi64(0x7fffffffffffffffLL), 0xe4));
  }
  MYELIN_AVX512_OP Mask gt(Reg a, Reg b) { return _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ); }
  MYELIN_AVX512_OP Mask lt(Reg a, Reg b) { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
  MYELIN_AVX512_OP Reg select(Mask m, Reg if_true, Reg if_false) { return _mm512_mask_blend_pd(m, if_false, if_true); }
  MYELIN_AVX512_OP Reg round(Reg a) { return _mm512_roundscale_pd(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  MYELIN_AVX512_OP Reg scale(Reg p, Reg n) { return _mm512_scalef_pd(p, n); }
  MYELIN_AVX512_OP Mask first(size_t n) { return static_cast<Mask>((1u << n) - 1u); }
};

}  // namespace simd
}  // namespace myelin

#undef MYELIN_AVX512_OP
#endif  // __x86_64__
