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
#include <cstdint>

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

// Column tiles for outputs narrower than a vector (a 10-class layer: a row-vectorised tile
// fills 10 of 16 lanes). Vectorised along M instead: NV vectors of 16 rows of C by NJ
// columns, one accumulator per (column, vector); each step loads the A panel's NV vectors
// (a 32-row packed panel, kAStride floats per step) and broadcasts NJ values of the
// 16-wide packed B panel. The tile is transposed into C's rows through a stack buffer,
// each row one masked gather. Every C element's sum is the same FMA sequence as in the
// row kernels, so the bits do not depend on which kernel ran.
template <size_t NJ, size_t NV, size_t kAStride = 32>
MYELIN_TARGET_AVX512 void gemm_ukernel_cols_f32(size_t kc, const float* a, const float* b, float* c,
                                                size_t ldc, size_t mr, size_t nr, float alpha,
                                                float beta) {
  using V = Avx512F32;
  constexpr size_t W = V::kWidth, kBStride = 16;
  __m512 acc[NJ][NV];
#pragma GCC unroll 16
  for (size_t j = 0; j < NJ; ++j) {
#pragma GCC unroll 2
    for (size_t v = 0; v < NV; ++v) acc[j][v] = V::zero();
  }
  for (size_t p = 0; p < kc; ++p) {
    __m512 av[NV];
#pragma GCC unroll 2
    for (size_t v = 0; v < NV; ++v) av[v] = V::load(a + v * W);
#pragma GCC unroll 16
    for (size_t j = 0; j < NJ; ++j) {
      const __m512 bj = V::broadcast(b[j]);
#pragma GCC unroll 2
      for (size_t v = 0; v < NV; ++v) acc[j][v] = V::fmadd(av[v], bj, acc[j][v]);
    }
    a += kAStride;
    b += kBStride;
  }
  alignas(64) float tile[NJ * NV * W];  // tile[j * NV*W + i] = C(i, j) before alpha/beta
#pragma GCC unroll 16
  for (size_t j = 0; j < NJ; ++j) {
#pragma GCC unroll 2
    for (size_t v = 0; v < NV; ++v) _mm512_store_ps(tile + (j * NV + v) * W, acc[j][v]);
  }
  const __m512i column = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                            _mm512_set1_epi32(static_cast<int>(NV * W)));
  const __mmask16 mask = V::first(std::min(nr, NJ));
  const __m512 valpha = V::broadcast(alpha), vbeta = V::broadcast(beta);
  for (size_t i = 0; i < std::min(mr, NV * W); ++i) {
    const __m512i at = _mm512_add_epi32(column, _mm512_set1_epi32(static_cast<int>(i)));
    __m512 r = V::mul(valpha, _mm512_mask_i32gather_ps(V::zero(), mask, at, tile, sizeof(float)));
    float* row = c + i * ldc;
    if (beta != 0.0f) r = V::fmadd(vbeta, V::load(mask, row), r);
    V::store(mask, row, r);
  }
}

template <size_t NJ>
MYELIN_TARGET_AVX512 void gemm_ukernel_cols_nj(size_t kc, const float* a, const float* b, float* c, size_t ldc,
                                               size_t mr, size_t nr, float alpha, float beta) {
  if (mr <= 16) {
    gemm_ukernel_cols_f32<NJ, 1>(kc, a, b, c, ldc, mr, nr, alpha, beta);
  } else {
    gemm_ukernel_cols_f32<NJ, 2>(kc, a, b, c, ldc, mr, nr, alpha, beta);
  }
}

// GCC 12 false positive inside its own _mm512_undefined_ps() (unpack, shuffle, permute).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
// Sums of 16 vectors: lane l of the result is the sum of x[l]'s lanes, always associated
// as ((0 + 2) + (1 + 3)) within each 128-bit block, then (b0 + b1) + (b2 + b3) across
// blocks, whichever slot l the vector sits in. 45 shuffles and adds for 16 sums.
MYELIN_TARGET_AVX512 __m512 sum_lanes16(const __m512 (&x)[16]) {
  __m512 t[8], u[4], w[2];
#pragma GCC unroll 8
  for (size_t m = 0; m < 8; ++m) {  // block: x0(0+2) x1(0+2) x0(1+3) x1(1+3)
    t[m] = _mm512_add_ps(_mm512_unpacklo_ps(x[2 * m], x[2 * m + 1]), _mm512_unpackhi_ps(x[2 * m], x[2 * m + 1]));
  }
#pragma GCC unroll 4
  for (size_t m = 0; m < 4; ++m) {  // block: the block sums of 4 vectors
    u[m] = _mm512_add_ps(_mm512_shuffle_ps(t[2 * m], t[2 * m + 1], 0x44), _mm512_shuffle_ps(t[2 * m], t[2 * m + 1], 0xEE));
  }
#pragma GCC unroll 2
  for (size_t m = 0; m < 2; ++m) {  // blocks: 4 vectors' b0+b1, their b2+b3, the next 4's
    w[m] = _mm512_add_ps(_mm512_shuffle_f32x4(u[2 * m], u[2 * m + 1], 0x88), _mm512_shuffle_f32x4(u[2 * m], u[2 * m + 1], 0xDD));
  }
  return _mm512_add_ps(_mm512_shuffle_f32x4(w[0], w[1], 0x88), _mm512_shuffle_f32x4(w[0], w[1], 0xDD));
}

// R rows of C by CC columns (R * CC = 16 accumulators) as dot products along K: each
// 16-step loads R rows of A and CC rows of B^T and does 16 FMAs, then sum_lanes16 turns the
// 16 accumulators into the tile. Rows and columns past the range re-read the last valid
// one and are not stored; the depth tail is read with masked loads, never past a row.
template <size_t R, size_t CC>
MYELIN_TARGET_AVX512 void dot_narrow_tile(size_t k, float alpha, const float* a, size_t lda, const float* b,
                                          size_t ldb, float beta, float* c, size_t ldc, size_t rows,
                                          size_t cols) {
  static_assert(R * CC == 16, "one accumulator per lane of the sum");
  const float* ar[R];
  const float* br[CC];
#pragma GCC unroll 8
  for (size_t i = 0; i < R; ++i) ar[i] = a + std::min(i, rows - 1) * lda;
#pragma GCC unroll 4
  for (size_t j = 0; j < CC; ++j) br[j] = b + std::min(j, cols - 1) * ldb;
  __m512 acc[16];
#pragma GCC unroll 16
  for (size_t l = 0; l < 16; ++l) acc[l] = _mm512_setzero_ps();
  for (size_t p = 0; p < k; p += 16) {
    const __mmask16 m = p + 16 <= k ? __mmask16(0xFFFF) : Avx512F32::first(k - p);
    __m512 av[R];
#pragma GCC unroll 8
    for (size_t i = 0; i < R; ++i) av[i] = _mm512_maskz_loadu_ps(m, ar[i] + p);
#pragma GCC unroll 4
    for (size_t j = 0; j < CC; ++j) {
      const __m512 bv = _mm512_maskz_loadu_ps(m, br[j] + p);
#pragma GCC unroll 8
      for (size_t i = 0; i < R; ++i) acc[i * CC + j] = _mm512_fmadd_ps(av[i], bv, acc[i * CC + j]);
    }
  }
  const __m512 sums = _mm512_mul_ps(_mm512_set1_ps(alpha), sum_lanes16(acc));
  const __mmask16 mask = Avx512F32::first(cols);
  const __m512 vbeta = _mm512_set1_ps(beta);
#pragma GCC unroll 8
  for (size_t i = 0; i < R; ++i) {
    if (i >= rows) break;
    // Lanes i*CC .. i*CC + CC-1 (row i's columns) to the front.
    __m512 r = _mm512_permutexvar_ps(_mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(i * CC)),
                                                      _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)),
                                     sums);
    float* out = c + i * ldc;
    if (beta != 0.0f) r = _mm512_fmadd_ps(vbeta, _mm512_maskz_loadu_ps(mask, out), r);
    _mm512_mask_storeu_ps(out, mask, r);
  }
}
#pragma GCC diagnostic pop

}  // namespace

// C = alpha * A * B^T + beta * C over rows [i0, i1) and columns [j0, j1) as dot products
// along K (see dot_narrow_tile): for outputs a few columns wide (a 10-class layer) and for
// a few rows (a Linear layer's forward on 1-32 samples, where packing W^T would cost more
// than the product). The tile shape (8 x 2, 4 x 4, 2 x 8 or 1 x 16 rows x columns) is the
// one with the fewest tiles over this range, then the fewest loads; the bits are the same
// whichever runs.
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,fma"))) void f32_gemm_dot_narrow_avx512(
    size_t k, float alpha, const float* a, size_t lda, const float* b, size_t ldb, float beta,
    float* c, size_t ldc, size_t i0, size_t i1, size_t j0, size_t j1) {
  using Tile = void (*)(size_t, float, const float*, size_t, const float*, size_t, float, float*, size_t, size_t, size_t);
  struct Shape {
    size_t r, cc;
    Tile tile;
  };
  static constexpr Shape kShapes[] = {{4, 4, dot_narrow_tile<4, 4>}, {8, 2, dot_narrow_tile<8, 2>},
                                      {2, 8, dot_narrow_tile<2, 8>}, {1, 16, dot_narrow_tile<1, 16>}};
  const size_t m = i1 - i0, n = j1 - j0;
  const Shape* best = &kShapes[0];
  size_t best_tiles = SIZE_MAX;
  for (const Shape& sh : kShapes) {  // ordered by loads per step: ties keep the earlier
    const size_t tiles = (m + sh.r - 1) / sh.r * ((n + sh.cc - 1) / sh.cc);
    if (tiles < best_tiles) best = &sh, best_tiles = tiles;
  }
  const size_t R = best->r, CC = best->cc;
  auto tile = [&](size_t i, size_t j) {
    best->tile(k, alpha, a + i * lda, lda, b + j * ldb, ldb, beta, c + i * ldc + j, ldc, std::min(R, i1 - i),
               std::min(CC, j1 - j));
  };
  // The larger operand outer, so it is read once: a tile's rows of it stay in L1 while the
  // smaller one (B^T of a 10-class layer; the few rows of A) is re-read from L1 or L2. With
  // columns inner, a 32x784x64 Linear forward read W from L3 four times per call, and the
  // small MLP trained 20-25 % slower than on the packed path, though the GEMM alone was faster.
  if (m >= n) {
    for (size_t i = i0; i < i1; i += R) {
      for (size_t j = j0; j < j1; j += CC) tile(i, j);
    }
  } else {
    for (size_t j = j0; j < j1; j += CC) {
      for (size_t i = i0; i < i1; i += R) tile(i, j);
    }
  }
}

// 32 x 16 tile of the column kernels (see gemm_ukernel_cols_f32): one instantiation per
// width up to 12 (24 accumulators at most); 13-16 columns, where a row tile wastes little,
// run as two 16-row halves with 16 accumulators each.
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,fma"))) void
f32_gemm_ukernel_cols32x16_avx512(size_t kc, const float* a, const float* b, float* c, size_t ldc,
                                  size_t mr, size_t nr, float alpha, float beta) {
  using Kernel = void (*)(size_t, const float*, const float*, float*, size_t, size_t, size_t, float, float);
  static constexpr Kernel kByWidth[] = {
      gemm_ukernel_cols_nj<1>, gemm_ukernel_cols_nj<2>, gemm_ukernel_cols_nj<3>,  gemm_ukernel_cols_nj<4>,
      gemm_ukernel_cols_nj<5>, gemm_ukernel_cols_nj<6>, gemm_ukernel_cols_nj<7>,  gemm_ukernel_cols_nj<8>,
      gemm_ukernel_cols_nj<9>, gemm_ukernel_cols_nj<10>, gemm_ukernel_cols_nj<11>, gemm_ukernel_cols_nj<12>};
  if (nr <= 12) return kByWidth[nr - 1](kc, a, b, c, ldc, mr, nr, alpha, beta);
  gemm_ukernel_cols_f32<16, 1>(kc, a, b, c, ldc, std::min<size_t>(mr, 16), nr, alpha, beta);
  if (mr > 16) gemm_ukernel_cols_f32<16, 1>(kc, a + 16, b, c + 16 * ldc, ldc, mr - 16, nr, alpha, beta);
}

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
           f32_gemm_ukernel_12x16_direct_a_avx512},
          nullptr,
          0,
          {"f32_gemm_ukernel_cols32x16_avx512", f32_gemm_ukernel_cols32x16_avx512, 32, 16, 128, 256, 16},
          12,
          f32_gemm_dot_narrow_avx512,
          12};
}

GemmKernelSet<double> f64_gemm_kernels_avx512() {
  return {{"f64_gemm_ukernel_12x16_avx512", f64_gemm_ukernel_12x16_avx512, 12, 16, 144, 192, 512},
          {"f64_gemm_ukernel_24x8_avx512", f64_gemm_ukernel_24x8_avx512, 24, 8, 144, 192, 8}};
}

}  // namespace myelin
#endif  // __x86_64__
