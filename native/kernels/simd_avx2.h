// AVX2+FMA vectors for the generic elementwise code; same contract as simd_avx512.h
// (target attribute per operation, not always_inline; entry points use `flatten`).
#pragma once
#if defined(__x86_64__)
#include <immintrin.h>

#include <cstddef>

#define MYELIN_AVX2_OP __attribute__((target("avx2,fma"))) static inline

namespace myelin {
namespace simd {

struct Avx2F32 {
  using T = float;
  using Reg = __m256;
  using Mask = __m256;  // all-ones lanes
  static constexpr size_t kWidth = 8;
  MYELIN_AVX2_OP Reg set1(T x) { return _mm256_set1_ps(x); }
  MYELIN_AVX2_OP Reg load(const T* p) { return _mm256_loadu_ps(p); }
  MYELIN_AVX2_OP void store(T* p, Reg v) { _mm256_storeu_ps(p, v); }
  // vmaskmov never faults on masked-out lanes.
  MYELIN_AVX2_OP Reg load_first(const T* p, size_t n) { return _mm256_maskload_ps(p, first(n)); }
  MYELIN_AVX2_OP void store_first(T* p, size_t n, Reg v) { _mm256_maskstore_ps(p, first(n), v); }
  MYELIN_AVX2_OP Reg add(Reg a, Reg b) { return _mm256_add_ps(a, b); }
  MYELIN_AVX2_OP Reg sub(Reg a, Reg b) { return _mm256_sub_ps(a, b); }
  MYELIN_AVX2_OP Reg mul(Reg a, Reg b) { return _mm256_mul_ps(a, b); }
  MYELIN_AVX2_OP Reg div(Reg a, Reg b) { return _mm256_div_ps(a, b); }
  MYELIN_AVX2_OP Reg fmadd(Reg a, Reg b, Reg c) { return _mm256_fmadd_ps(a, b, c); }
  MYELIN_AVX2_OP Reg fnmadd(Reg a, Reg b, Reg c) { return _mm256_fnmadd_ps(a, b, c); }
  MYELIN_AVX2_OP Reg fmsub(Reg a, Reg b, Reg c) { return _mm256_fmsub_ps(a, b, c); }
  MYELIN_AVX2_OP Reg max(Reg a, Reg b) { return _mm256_max_ps(a, b); }
  MYELIN_AVX2_OP Reg min(Reg a, Reg b) { return _mm256_min_ps(a, b); }
  MYELIN_AVX2_OP Reg abs(Reg a) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a); }
  MYELIN_AVX2_OP Reg copysign(Reg mag, Reg sign) {
    const Reg bit = _mm256_set1_ps(-0.0f);
    return _mm256_or_ps(_mm256_andnot_ps(bit, mag), _mm256_and_ps(bit, sign));
  }
  MYELIN_AVX2_OP Mask gt(Reg a, Reg b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
  MYELIN_AVX2_OP Mask lt(Reg a, Reg b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
  MYELIN_AVX2_OP Reg select(Mask m, Reg if_true, Reg if_false) { return _mm256_blendv_ps(if_false, if_true, m); }
  MYELIN_AVX2_OP Reg round(Reg a) { return _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  // p * 2^n for integral |n| <= 300, as two factors 2^(n/2) so each stays a normal number;
  // overflow gives inf and underflow 0 or a subnormal, like scalef.
  MYELIN_AVX2_OP Reg scale(Reg p, Reg n) {
    const Reg half = _mm256_floor_ps(_mm256_mul_ps(n, _mm256_set1_ps(0.5f)));
    return _mm256_mul_ps(_mm256_mul_ps(p, pow2(half)), pow2(_mm256_sub_ps(n, half)));
  }
  MYELIN_AVX2_OP Reg pow2(Reg n) {  // 2^n for integral n in [-126, 127]
    const __m256i e = _mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127));
    return _mm256_castsi256_ps(_mm256_slli_epi32(e, 23));
  }
  MYELIN_AVX2_OP __m256i first(size_t n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
};

struct Avx2F64 {
  using T = double;
  using Reg = __m256d;
  using Mask = __m256d;
  static constexpr size_t kWidth = 4;
  MYELIN_AVX2_OP Reg set1(T x) { return _mm256_set1_pd(x); }
  MYELIN_AVX2_OP Reg load(const T* p) { return _mm256_loadu_pd(p); }
  MYELIN_AVX2_OP void store(T* p, Reg v) { _mm256_storeu_pd(p, v); }
  MYELIN_AVX2_OP Reg load_first(const T* p, size_t n) { return _mm256_maskload_pd(p, first(n)); }
  MYELIN_AVX2_OP void store_first(T* p, size_t n, Reg v) { _mm256_maskstore_pd(p, first(n), v); }
  MYELIN_AVX2_OP Reg add(Reg a, Reg b) { return _mm256_add_pd(a, b); }
  MYELIN_AVX2_OP Reg sub(Reg a, Reg b) { return _mm256_sub_pd(a, b); }
  MYELIN_AVX2_OP Reg mul(Reg a, Reg b) { return _mm256_mul_pd(a, b); }
  MYELIN_AVX2_OP Reg div(Reg a, Reg b) { return _mm256_div_pd(a, b); }
  MYELIN_AVX2_OP Reg fmadd(Reg a, Reg b, Reg c) { return _mm256_fmadd_pd(a, b, c); }
  MYELIN_AVX2_OP Reg fnmadd(Reg a, Reg b, Reg c) { return _mm256_fnmadd_pd(a, b, c); }
  MYELIN_AVX2_OP Reg fmsub(Reg a, Reg b, Reg c) { return _mm256_fmsub_pd(a, b, c); }
  MYELIN_AVX2_OP Reg max(Reg a, Reg b) { return _mm256_max_pd(a, b); }
  MYELIN_AVX2_OP Reg min(Reg a, Reg b) { return _mm256_min_pd(a, b); }
  MYELIN_AVX2_OP Reg abs(Reg a) { return _mm256_andnot_pd(_mm256_set1_pd(-0.0), a); }
  MYELIN_AVX2_OP Reg copysign(Reg mag, Reg sign) {
    const Reg bit = _mm256_set1_pd(-0.0);
    return _mm256_or_pd(_mm256_andnot_pd(bit, mag), _mm256_and_pd(bit, sign));
  }
  MYELIN_AVX2_OP Mask gt(Reg a, Reg b) { return _mm256_cmp_pd(a, b, _CMP_GT_OQ); }
  MYELIN_AVX2_OP Mask lt(Reg a, Reg b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
  MYELIN_AVX2_OP Reg select(Mask m, Reg if_true, Reg if_false) { return _mm256_blendv_pd(if_false, if_true, m); }
  MYELIN_AVX2_OP Reg round(Reg a) { return _mm256_round_pd(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  // p * 2^n for integral |n| <= 2100 (two normal factors, as in Avx2F32::scale).
  MYELIN_AVX2_OP Reg scale(Reg p, Reg n) {
    const Reg half = _mm256_floor_pd(_mm256_mul_pd(n, _mm256_set1_pd(0.5)));
    return _mm256_mul_pd(_mm256_mul_pd(p, pow2(half)), pow2(_mm256_sub_pd(n, half)));
  }
  MYELIN_AVX2_OP Reg pow2(Reg n) {  // 2^n for integral n in [-1022, 1023]
    const __m256i i = _mm256_cvtepi32_epi64(_mm256_cvtpd_epi32(n));
    return _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_add_epi64(i, _mm256_set1_epi64x(1023)), 52));
  }
  MYELIN_AVX2_OP __m256i first(size_t n) {
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x(static_cast<long long>(n)), _mm256_setr_epi64x(0, 1, 2, 3));
  }
};

}  // namespace simd
}  // namespace myelin

#undef MYELIN_AVX2_OP
#endif  // __x86_64__
