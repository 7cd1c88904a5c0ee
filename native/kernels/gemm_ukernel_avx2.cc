// AVX2+FMA GEMM micro-kernels (16 ymm registers). Only these functions carry the
// target attribute; the file itself is compiled for baseline x86-64.
//
// Full tiles store with plain vector stores; edge tiles (mr < MR or nr < NR) use
// vmaskmov, which never faults on the masked-out lanes past the end of C. Both paths do
// the same arithmetic, so an element's value does not depend on where its tile falls.
#if defined(__x86_64__)
#include <immintrin.h>

#include <algorithm>
#include <type_traits>

#include "gemm_microkernel.h"

#define MYELIN_TARGET_AVX2 __attribute__((target("avx2,fma"), always_inline)) inline
#define MYELIN_TARGET_AVX2_LAMBDA __attribute__((target("avx2,fma"), always_inline))

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

// Four depth steps of the 6-row tile one 64-byte line wide (16 floats or 8 doubles): B
// panel rows of two ymm, six A values broadcast per step, 12 FMAs. X is the instructions'
// type letter ("s" float, "d" double) and E the element size in bytes; GAS works out the
// offsets. kDirectA: A row i at a + i*lda (read in place, the row addresses as base +
// index*scale from a and a + 3*lda); else a packed panel with 6 values per step. B
// likewise: a packed panel of one line per step, or (kInPlaceB) B row p at b + p*ldb, each
// step's line also stored to the packed panel `bp`, so that the tile that first meets a B
// micro-panel packs it while it computes (the copy's loads and stores ride beside the FMAs
// instead of running as a separate pass over B).
#define MYELIN_6ROW_B_PACKED(U)                         \
  "vmovups " #U "*64(%[b]), %%ymm12\n\t"                \
  "vmovups " #U "*64+32(%[b]), %%ymm13\n\t"
// Row p + kInPlaceBPrefetchRows is fetched ahead (both ends: a row may straddle two lines).
#define MYELIN_6ROW_B_ROW(ADDR, U)                      \
  "prefetcht1 (%[pf])\n\t"                              \
  "prefetcht1 60(%[pf])\n\t"                            \
  "add %[ldb], %[pf]\n\t"                               \
  "vmovups " ADDR ", %%ymm12\n\t"                       \
  "vmovups 32" ADDR ", %%ymm13\n\t"                     \
  "vmovups %%ymm12, " #U "*64(%[bp])\n\t"               \
  "vmovups %%ymm13, " #U "*64+32(%[bp])\n\t"
#define MYELIN_6ROW_B_INPLACE_0 MYELIN_6ROW_B_ROW("(%[b])", 0)
#define MYELIN_6ROW_B_INPLACE_1 MYELIN_6ROW_B_ROW("(%[b],%[ldb],1)", 1)
#define MYELIN_6ROW_B_INPLACE_2 MYELIN_6ROW_B_ROW("(%[b],%[ldb],2)", 2)
#define MYELIN_6ROW_B_INPLACE_3 MYELIN_6ROW_B_ROW("(%[b3])", 3)
#define MYELIN_6ROW_B_INPLACE(U) MYELIN_6ROW_B_INPLACE_##U
#define MYELIN_6ROW_ROW(X, ADDR, C0, C1)                \
  "vbroadcasts" X " " ADDR ", %%ymm14\n\t"              \
  "vfmadd231p" X " %%ymm12, %%ymm14, %%ymm" #C0 "\n\t"  \
  "vfmadd231p" X " %%ymm13, %%ymm14, %%ymm" #C1 "\n\t"
#define MYELIN_6ROW_PACKED_ROWS(X, E, U)                        \
  MYELIN_6ROW_ROW(X, #U "*6*" E "+0*" E "(%[a])", 0, 1)         \
  MYELIN_6ROW_ROW(X, #U "*6*" E "+1*" E "(%[a])", 2, 3)         \
  MYELIN_6ROW_ROW(X, #U "*6*" E "+2*" E "(%[a])", 4, 5)         \
  MYELIN_6ROW_ROW(X, #U "*6*" E "+3*" E "(%[a])", 6, 7)         \
  MYELIN_6ROW_ROW(X, #U "*6*" E "+4*" E "(%[a])", 8, 9)         \
  MYELIN_6ROW_ROW(X, #U "*6*" E "+5*" E "(%[a])", 10, 11)
#define MYELIN_6ROW_DIRECT_ROWS(X, E, U)                        \
  MYELIN_6ROW_ROW(X, #U "*" E "(%[a])", 0, 1)                   \
  MYELIN_6ROW_ROW(X, #U "*" E "(%[a],%[ld],1)", 2, 3)           \
  MYELIN_6ROW_ROW(X, #U "*" E "(%[a],%[ld],2)", 4, 5)           \
  MYELIN_6ROW_ROW(X, #U "*" E "(%[a3])", 6, 7)                  \
  MYELIN_6ROW_ROW(X, #U "*" E "(%[a3],%[ld],1)", 8, 9)          \
  MYELIN_6ROW_ROW(X, #U "*" E "(%[a3],%[ld],2)", 10, 11)

// A whole 6-row tile in one asm statement: zeroed accumulators (ymm0-11, never leaving
// registers), the 4-step loop, the 1-step tail, then C = alpha*acc (+ beta*C) stored row
// by row; the same arithmetic, in the same order, as the intrinsics below. GCC 12 spilled
// accumulators of the unrolled intrinsics to the stack (the loop then ran at the rolled
// loop's speed). SETUP, the B and A halves of a step and the advances per 4 and per 1
// step are the only differences between the variants: A in place or packed, B in place
// (and packed on the way) or packed.
#define MYELIN_6ROW_STORE_ROW(X, ADDR, C0, C1)                        \
  "vmulp" X " %%ymm" #C0 ", %%ymm15, %%ymm" #C0 "\n\t"                \
  "vmulp" X " %%ymm" #C1 ", %%ymm15, %%ymm" #C1 "\n\t"                \
  "cmpq $0, %[bnz]\n\t"                                               \
  "je 5f\n\t"                                                         \
  "vbroadcasts" X " %[beta], %%ymm14\n\t"                             \
  "vfmadd231p" X " " ADDR ", %%ymm14, %%ymm" #C0 "\n\t"               \
  "vfmadd231p" X " 32" ADDR ", %%ymm14, %%ymm" #C1 "\n\t"             \
  "5:\n\t"                                                            \
  "vmovups %%ymm" #C0 ", " ADDR "\n\t"                                \
  "vmovups %%ymm" #C1 ", 32" ADDR "\n\t"
#define MYELIN_6ROW_TILE_ASM(X, E, SETUP, B_STEP, A_STEP, ADVANCE4, ADVANCE1)                  \
  __asm__ volatile(                                                                            \
      "vxorps %%ymm0, %%ymm0, %%ymm0\n\t vxorps %%ymm1, %%ymm1, %%ymm1\n\t"                     \
      "vxorps %%ymm2, %%ymm2, %%ymm2\n\t vxorps %%ymm3, %%ymm3, %%ymm3\n\t"                     \
      "vxorps %%ymm4, %%ymm4, %%ymm4\n\t vxorps %%ymm5, %%ymm5, %%ymm5\n\t"                     \
      "vxorps %%ymm6, %%ymm6, %%ymm6\n\t vxorps %%ymm7, %%ymm7, %%ymm7\n\t"                     \
      "vxorps %%ymm8, %%ymm8, %%ymm8\n\t vxorps %%ymm9, %%ymm9, %%ymm9\n\t"                     \
      "vxorps %%ymm10, %%ymm10, %%ymm10\n\t vxorps %%ymm11, %%ymm11, %%ymm11\n\t"               \
      SETUP                                                                                    \
      "test %[n], %[n]\n\t jz 2f\n\t"                                                          \
      "1:\n\t" B_STEP(0) A_STEP(X, E, 0) B_STEP(1) A_STEP(X, E, 1) B_STEP(2) A_STEP(X, E, 2)    \
      B_STEP(3) A_STEP(X, E, 3) ADVANCE4 "dec %[n]\n\t jnz 1b\n\t"                              \
      "2:\n\t test %[r], %[r]\n\t jz 4f\n\t"                                                   \
      "3:\n\t" B_STEP(0) A_STEP(X, E, 0) ADVANCE1 "dec %[r]\n\t jnz 3b\n\t"                     \
      "4:\n\t vbroadcasts" X " %[alpha], %%ymm15\n\t"                                          \
      "lea (%[c],%[ldc],2), %[c3]\n\t add %[ldc], %[c3]\n\t"                                   \
      MYELIN_6ROW_STORE_ROW(X, "(%[c])", 0, 1)                                                 \
      MYELIN_6ROW_STORE_ROW(X, "(%[c],%[ldc],1)", 2, 3)                                        \
      MYELIN_6ROW_STORE_ROW(X, "(%[c],%[ldc],2)", 4, 5)                                        \
      MYELIN_6ROW_STORE_ROW(X, "(%[c3])", 6, 7)                                                \
      MYELIN_6ROW_STORE_ROW(X, "(%[c3],%[ldc],1)", 8, 9)                                       \
      MYELIN_6ROW_STORE_ROW(X, "(%[c3],%[ldc],2)", 10, 11)                                     \
      : [a] "+r"(a), [b] "+r"(b), [bp] "+r"(bp), [n] "+r"(blocks), [r] "+r"(rest),             \
        [a3] "=&r"(a3), [b3] "=&r"(b3), [c3] "=&r"(c3), [pf] "+r"(pf)                          \
      : [ld] "r"(ld_bytes), [ldb] "r"(ldb_bytes), [c] "r"(c), [ldc] "r"(ldc_bytes),            \
        [alpha] "m"(alpha), [beta] "m"(beta), [bnz] "m"(beta_nonzero)                          \
      : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",         \
        "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "cc", "memory")

#define MYELIN_6ROW_A_DIRECT_SETUP "lea (%[a],%[ld],2), %[a3]\n\t add %[ld], %[a3]\n\t"
#define MYELIN_6ROW_B_INPLACE_SETUP "lea (%[b],%[ldb],2), %[b3]\n\t add %[ldb], %[b3]\n\t"
#define MYELIN_6ROW_A_DIRECT_ADVANCE4(E) "add $4*" E ", %[a]\n\t add $4*" E ", %[a3]\n\t"
#define MYELIN_6ROW_A_DIRECT_ADVANCE1(E) "add $" E ", %[a]\n\t add $" E ", %[a3]\n\t"
#define MYELIN_6ROW_B_INPLACE_ADVANCE4 "lea (%[b],%[ldb],4), %[b]\n\t lea (%[b3],%[ldb],4), %[b3]\n\t add $256, %[bp]\n\t"
#define MYELIN_6ROW_B_INPLACE_ADVANCE1 "add %[ldb], %[b]\n\t add $64, %[bp]\n\t"

// How far ahead the in-place B rows are prefetched. B rows in place come from L3 or
// memory, one or two lines each at a stride of ldb, and nothing else fetches them early
// enough. In-process alternation on Zen 3, 1 thread, packing in the first tiles against a
// separate pass, by prefetch: none 1.057x at 128x512x784 but 0.974x at 512x784x512;
// prefetcht1 24 rows ahead 1.05-1.09x at 128x512x784, 1.04-1.08x at 128x768x768,
// 1.05-1.06x at 128x784x1000 and 128x784x512, 1.00-1.01x at square 1024; prefetcht0 8
// ahead about the same at 128 rows but 0.99-1.01x at 512x784x512.
constexpr size_t kInPlaceBPrefetchRows = 24;

// The 6-row tile of T (float: 6x16, double: 6x8). kDirectA: A row i at a + i*lda, all six
// rows real (mr = 6); else a packed 6-wide panel. kInPlaceB: B row p at b + p*ldb (one full
// line of columns), copied to the packed panel bp as it is read; else b is a packed panel
// (ldb and bp unused).
#define MYELIN_6ROW_TILE(T, X, E)                                                                                    \
  template <bool kDirectA, bool kInPlaceB>                                                                           \
  MYELIN_TARGET_AVX2 void tile_6row(size_t kc, const T* a, size_t lda, const T* b, size_t ldb, T* bp, T* c,          \
                                    size_t ldc, T alpha, T beta) {                                                   \
    size_t blocks = kc / 4, rest = kc % 4;                                                                           \
    const size_t ld_bytes = lda * sizeof(T), ldb_bytes = ldb * sizeof(T), ldc_bytes = ldc * sizeof(T);               \
    const size_t beta_nonzero = beta != T(0);                                                                        \
    const T* a3;                                                                                                     \
    const T* b3;                                                                                                     \
    T* c3;                                                                                                           \
    const T* pf = kInPlaceB ? b + kInPlaceBPrefetchRows * ldb : b;                                                   \
    if constexpr (kDirectA && kInPlaceB) {                                                                           \
      MYELIN_6ROW_TILE_ASM(X, E, MYELIN_6ROW_A_DIRECT_SETUP MYELIN_6ROW_B_INPLACE_SETUP, MYELIN_6ROW_B_INPLACE,      \
                           MYELIN_6ROW_DIRECT_ROWS, MYELIN_6ROW_A_DIRECT_ADVANCE4(E) MYELIN_6ROW_B_INPLACE_ADVANCE4, \
                           MYELIN_6ROW_A_DIRECT_ADVANCE1(E) MYELIN_6ROW_B_INPLACE_ADVANCE1);                         \
    } else if constexpr (kDirectA) {                                                                                 \
      MYELIN_6ROW_TILE_ASM(X, E, MYELIN_6ROW_A_DIRECT_SETUP, MYELIN_6ROW_B_PACKED, MYELIN_6ROW_DIRECT_ROWS,          \
                           MYELIN_6ROW_A_DIRECT_ADVANCE4(E) "add $256, %[b]\n\t",                                    \
                           MYELIN_6ROW_A_DIRECT_ADVANCE1(E) "add $64, %[b]\n\t");                                    \
    } else if constexpr (kInPlaceB) {                                                                                \
      MYELIN_6ROW_TILE_ASM(X, E, MYELIN_6ROW_B_INPLACE_SETUP, MYELIN_6ROW_B_INPLACE, MYELIN_6ROW_PACKED_ROWS,        \
                           "add $4*6*" E ", %[a]\n\t" MYELIN_6ROW_B_INPLACE_ADVANCE4,                                \
                           "add $6*" E ", %[a]\n\t" MYELIN_6ROW_B_INPLACE_ADVANCE1);                                 \
    } else {                                                                                                         \
      MYELIN_6ROW_TILE_ASM(X, E, "", MYELIN_6ROW_B_PACKED, MYELIN_6ROW_PACKED_ROWS,                                  \
                           "add $4*6*" E ", %[a]\n\t add $256, %[b]\n\t", "add $6*" E ", %[a]\n\t add $64, %[b]\n\t"); \
    }                                                                                                                \
  }
MYELIN_6ROW_TILE(float, "s", "4")
MYELIN_6ROW_TILE(double, "d", "8")
#undef MYELIN_6ROW_TILE
#undef MYELIN_6ROW_TILE_ASM
#undef MYELIN_6ROW_STORE_ROW
#undef MYELIN_6ROW_B_PACKED
#undef MYELIN_6ROW_B_ROW
#undef MYELIN_6ROW_B_INPLACE_0
#undef MYELIN_6ROW_B_INPLACE_1
#undef MYELIN_6ROW_B_INPLACE_2
#undef MYELIN_6ROW_B_INPLACE_3
#undef MYELIN_6ROW_B_INPLACE
#undef MYELIN_6ROW_ROW
#undef MYELIN_6ROW_PACKED_ROWS
#undef MYELIN_6ROW_DIRECT_ROWS
#undef MYELIN_6ROW_A_DIRECT_SETUP
#undef MYELIN_6ROW_B_INPLACE_SETUP
#undef MYELIN_6ROW_A_DIRECT_ADVANCE4
#undef MYELIN_6ROW_A_DIRECT_ADVANCE1
#undef MYELIN_6ROW_B_INPLACE_ADVANCE4
#undef MYELIN_6ROW_B_INPLACE_ADVANCE1

// A tile's C rows (up to MR of them, `width` elements each) are read or written only at
// its end; start fetching them (both ends of each row) before its K loop.
template <size_t MR, typename T>
MYELIN_TARGET_AVX2 void prefetch_c_tile(const T* c, size_t ldc, size_t rows, size_t width) {
#pragma GCC unroll 16
  for (size_t i = 0; i < MR; ++i) {
    if (i < rows) {
      _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc), _MM_HINT_T0);
      _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc + width - 1), _MM_HINT_T0);
    }
  }
}

// MR rows x (NV * kWidth) columns. See GemmUkernel for the contract. kDirectA: A is read
// in place, row i at a + i*lda (GemmUkernelDirectA), instead of a packed panel. kAStride:
// rows per packed A step, MR unless a short edge tile reads a wider panel.
//
// The K loop is unrolled by 4: on Zen 3 the rolled loop reached ~80 % of the FMA peak with
// both panels in L1, the unrolled one ~90 % (a 4-cycle FMA with 12 accumulators leaves
// no slack for the loop's own instructions). The unrolling does not change the order of
// any element's sum.
template <class V, size_t MR, size_t NV, bool kDirectA = false, size_t kAStride = MR>
MYELIN_TARGET_AVX2 void gemm_ukernel_avx2(size_t kc, const typename V::T* a, size_t lda,
                                          const typename V::T* b, typename V::T* c, size_t ldc,
                                          size_t mr, size_t nr, typename V::T alpha,
                                          typename V::T beta) {
  using Reg = typename V::Reg;
  using T = typename V::T;
  constexpr size_t W = V::kWidth;
  // Rows past mr re-read the last valid row (never memory past the end of A).
  const T* rows[kDirectA ? MR : 1];
  if (kDirectA) {
    for (size_t i = 0; i < MR; ++i) rows[i] = a + std::min(i, mr - 1) * lda;
  }
  Reg acc[MR][NV];
#pragma GCC unroll 16
  for (size_t i = 0; i < MR; ++i) {
#pragma GCC unroll 4
    for (size_t j = 0; j < NV; ++j) acc[i][j] = V::zero();
  }
  prefetch_c_tile<MR>(c, ldc, mr, NV * W);
  // One depth step: row i's A value at depth p is rows[i][p] in place, else a[u*kAStride + i]
  // with `a` advanced per step.
  auto step = [&](size_t p, size_t u) MYELIN_TARGET_AVX2_LAMBDA {
    Reg bv[NV];
#pragma GCC unroll 4
    for (size_t j = 0; j < NV; ++j) bv[j] = V::load(b + (u * NV + j) * W);
#pragma GCC unroll 16
    for (size_t i = 0; i < MR; ++i) {
      const Reg ai = V::broadcast(kDirectA ? rows[i][p + u] : a[u * kAStride + i]);
#pragma GCC unroll 4
      for (size_t j = 0; j < NV; ++j) acc[i][j] = V::fmadd(ai, bv[j], acc[i][j]);
    }
  };
  size_t p = 0;
  if constexpr (MR == 6 && NV == 2) {
    // The 6-row tile (float 6x16, double 6x8), the one nearly every GEMM runs, in
    // assembly. A full tile goes straight to C; an edge tile (nr < NR) goes to a scratch
    // tile whose sums the masked store below finishes. In place, rows past mr would need
    // the clamped row pointers: such tiles stay on the intrinsics.
    if (mr == MR && nr == NV * W) {
      tile_6row<kDirectA, false>(kc, a, lda, b, 0, nullptr, c, ldc, alpha, beta);
      return;
    }
    if (!kDirectA || mr == MR) {
      alignas(32) T sums[MR * NV * W];
      tile_6row<kDirectA, false>(kc, a, lda, b, 0, nullptr, sums, NV * W, T(1), T(0));
#pragma GCC unroll 16
      for (size_t i = 0; i < MR; ++i) {
#pragma GCC unroll 4
        for (size_t j = 0; j < NV; ++j) acc[i][j] = V::load(sums + (i * NV + j) * W);
      }
      p = kc;
    }
  }
  for (; p + 4 <= kc; p += 4) {
    step(p, 0);
    step(p, 1);
    step(p, 2);
    step(p, 3);
    if (!kDirectA) a += 4 * kAStride;
    b += 4 * NV * W;
  }
  for (; p < kc; ++p) {
    step(p, 0);
    if (!kDirectA) a += kAStride;
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

// A tile with only mr rows valid (the last row panel: m = 128 is 21*6 + 2) runs a kernel of
// fewer rows instead of computing MR and storing fewer; each C element's sum is the same
// sequence of FMAs, so the bits do not change. Row counts: MR/3, 2*MR/3 or MR.
template <class V, size_t MR, size_t NV, bool kDirectA>
MYELIN_TARGET_AVX2 void gemm_ukernel_avx2_rows(size_t kc, const typename V::T* a, size_t lda,
                                               const typename V::T* b, typename V::T* c,
                                               size_t ldc, size_t mr, size_t nr,
                                               typename V::T alpha, typename V::T beta) {
  constexpr size_t kThird = MR / 3;  // 6 rows: 2, 4, 6; 12 rows: 4, 8, 12
  if (mr <= kThird) {
    gemm_ukernel_avx2<V, kThird, NV, kDirectA, MR>(kc, a, lda, b, c, ldc, mr, nr, alpha, beta);
  } else if (mr <= 2 * kThird) {
    gemm_ukernel_avx2<V, 2 * kThird, NV, kDirectA, MR>(kc, a, lda, b, c, ldc, mr, nr, alpha, beta);
  } else {
    gemm_ukernel_avx2<V, MR, NV, kDirectA>(kc, a, lda, b, c, ldc, mr, nr, alpha, beta);
  }
}

}  // namespace

#define MYELIN_AVX2_KERNEL(T, NAME, V, MR, NV)                                                  \
  __attribute__((target("avx2,fma"))) void NAME(size_t kc, const T* a, const T* b, T* c,       \
                                                size_t ldc, size_t mr, size_t nr, T alpha,     \
                                                T beta) {                                      \
    gemm_ukernel_avx2_rows<V, MR, NV, false>(kc, a, 0, b, c, ldc, mr, nr, alpha, beta);        \
  }                                                                                            \
  __attribute__((target("avx2,fma"))) void NAME##_direct_a(size_t kc, const T* a, size_t lda,  \
                                                           const T* b, T* c, size_t ldc,       \
                                                           size_t mr, size_t nr, T alpha,      \
                                                           T beta) {                           \
    gemm_ukernel_avx2_rows<V, MR, NV, true>(kc, a, lda, b, c, ldc, mr, nr, alpha, beta);       \
  }

MYELIN_AVX2_KERNEL(float, f32_gemm_ukernel_6x16_avx2, Avx2F32, 6, 2)

namespace {
// The full 6-row tile packing its B micro-panel on the way (GemmUkernelPackB).
template <bool kDirectA, typename T>
__attribute__((target("avx2,fma"))) void gemm_ukernel_6row_avx2_pack_b(size_t kc, const T* a, size_t lda, const T* b,
                                                                       size_t ldb, T* b_packed, T* c, size_t ldc,
                                                                       T alpha, T beta) {
  prefetch_c_tile<6>(c, ldc, 6, 64 / sizeof(T));
  tile_6row<kDirectA, true>(kc, a, lda, b, ldb, b_packed, c, ldc, alpha, beta);
}
}  // namespace
MYELIN_AVX2_KERNEL(float, f32_gemm_ukernel_12x8_avx2, Avx2F32, 12, 1)
MYELIN_AVX2_KERNEL(double, f64_gemm_ukernel_6x8_avx2, Avx2F64, 6, 2)
MYELIN_AVX2_KERNEL(double, f64_gemm_ukernel_12x4_avx2, Avx2F64, 12, 1)
#undef MYELIN_AVX2_KERNEL

// A * B^T by dot products, 3 rows of A x 4 rows of B at a time: per 8 depth steps 7 loads
// and 12 FMAs, the 12 accumulators reduced at the end (hadd tree, then the two 128-bit
// halves). Rows and columns past the range re-read the last valid one and are not stored.
// The depth tail (k % 8) is read with masked loads (zero lanes), never past a row's end.
MYELIN_TARGET_AVX2 void f32_dot_nt_tile(size_t k, float alpha, const float* a, size_t lda,
                                        const float* b, size_t ldb, float beta, float* c,
                                        size_t ldc, size_t rows, size_t cols) {
  const float* ar[3];
  const float* br[4];
  for (size_t i = 0; i < 3; ++i) ar[i] = a + std::min(i, rows - 1) * lda;
  for (size_t j = 0; j < 4; ++j) br[j] = b + std::min(j, cols - 1) * ldb;
  __m256 acc[3][4];
#pragma GCC unroll 3
  for (size_t i = 0; i < 3; ++i) {
#pragma GCC unroll 4
    for (size_t j = 0; j < 4; ++j) acc[i][j] = _mm256_setzero_ps();
  }
  auto step = [&](size_t p, bool masked, __m256i mask) MYELIN_TARGET_AVX2_LAMBDA {
    __m256 av[3];
#pragma GCC unroll 3
    for (size_t i = 0; i < 3; ++i) av[i] = masked ? _mm256_maskload_ps(ar[i] + p, mask) : _mm256_loadu_ps(ar[i] + p);
#pragma GCC unroll 4
    for (size_t j = 0; j < 4; ++j) {
      const __m256 w = masked ? _mm256_maskload_ps(br[j] + p, mask) : _mm256_loadu_ps(br[j] + p);
#pragma GCC unroll 3
      for (size_t i = 0; i < 3; ++i) acc[i][j] = _mm256_fmadd_ps(av[i], w, acc[i][j]);
    }
  };
  size_t p = 0;
  const __m256i none = _mm256_setzero_si256();
  for (; p + 8 <= k; p += 8) step(p, false, none);
  if (p < k) step(p, true, Avx2F32::first(k - p));
  const __m128 valpha = _mm_set1_ps(alpha), vbeta = _mm_set1_ps(beta);
  const __m128i col_mask = _mm_cmpgt_epi32(_mm_set1_epi32(static_cast<int>(cols)), _mm_setr_epi32(0, 1, 2, 3));
#pragma GCC unroll 3
  for (size_t i = 0; i < 3; ++i) {
    if (i >= rows) break;
    const __m256 h01 = _mm256_hadd_ps(acc[i][0], acc[i][1]), h23 = _mm256_hadd_ps(acc[i][2], acc[i][3]);
    const __m256 h = _mm256_hadd_ps(h01, h23);  // lane l, half q: partial sum of column l
    __m128 r = _mm_mul_ps(valpha, _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1)));
    float* out = c + i * ldc;
    if (cols == 4) {
      if (beta != 0.0f) r = _mm_fmadd_ps(vbeta, _mm_loadu_ps(out), r);
      _mm_storeu_ps(out, r);
    } else {
      if (beta != 0.0f) r = _mm_fmadd_ps(vbeta, _mm_maskload_ps(out, col_mask), r);
      _mm_maskstore_ps(out, col_mask, r);
    }
  }
}

__attribute__((target("avx2,fma"))) void f32_gemm_dot_nt_avx2(
    size_t k, float alpha, const float* a, size_t lda, const float* b, size_t ldb, float beta,
    float* c, size_t ldc, size_t i0, size_t i1, size_t j0, size_t j1) {
  // Column blocks outer: a block of 4 B rows (4 * k floats) stays in L1 across the rows of A.
  for (size_t j = j0; j < j1; j += 4) {
    for (size_t i = i0; i < i1; i += 3) {
      f32_dot_nt_tile(k, alpha, a + i * lda, lda, b + j * ldb, ldb, beta, c + i * ldc + j, ldc,
                      std::min<size_t>(3, i1 - i), std::min<size_t>(4, j1 - j));
    }
  }
}

// Blocks: A micro-panel (MR x KC) in L1, packed B block (KC x NC) in L2. AVX2 machines'
// L2 ranges from 256 KiB (Haswell) to 1.25 MiB, so NC is sized for the B block to fill
// 9/16 of this one's: on Zen 3 (512 KiB) NC = 256 instead of 512 (a 768 KiB block that
// streamed from L3) gave 1.03-1.23x at the MLP shapes, 1 thread; NC = 192 instead of 256
// (B at 288 instead of 384 KiB, leaving room for the A panels and C tiles passing through)
// 1.03-1.05x at square 2048, 1.02x at 1536 and 1.01-1.02x at 1024 on 1 thread
// (in-process alternation, four runs at 2048); the MLP shapes and 2 threads within +-1 %.
template <typename T>
size_t nc_for_l2(size_t kc, size_t nr) {
  const size_t nc = l2_cache_bytes(512 << 10) * 9 / 16 / (kc * sizeof(T)) / nr * nr;
  return std::min<size_t>(std::max(nc, nr), 1024);
}

// Up to this many rows of A, A * B^T runs as dot products (f32_gemm_dot_nt_avx2) instead
// of packing B^T. In-process A/B on Zen 3, 1 thread, dot / packed: 32x784x64 1.6x,
// 64x784x512 1.2x (against the previous kernels), 128x784x512 0.88x, 1024^3 0.63x; with
// n = 10, 128x256x10 1.4x and 512x256x10 1.0x.
constexpr size_t kDotNtMaxM = 64;

GemmKernelSet<float> f32_gemm_kernels_avx2() {
  GemmKernelSet<float> set = {{"f32_gemm_ukernel_6x16_avx2", f32_gemm_ukernel_6x16_avx2, 6, 16, 144, 384,
           nc_for_l2<float>(384, 16),
           f32_gemm_ukernel_6x16_avx2_direct_a},
          {"f32_gemm_ukernel_12x8_avx2", f32_gemm_ukernel_12x8_avx2, 12, 8, 144, 384, 8,
           f32_gemm_ukernel_12x8_avx2_direct_a},
          f32_gemm_dot_nt_avx2, kDotNtMaxM};
  set.wide.ukernel_pack_b = gemm_ukernel_6row_avx2_pack_b<false, float>;
  set.wide.ukernel_direct_a_pack_b = gemm_ukernel_6row_avx2_pack_b<true, float>;
  set.nt_via_transpose = true;  // measured on Zen 3: see gemm_nt_transposed
  return set;
}

// The double 6x8 tile runs the float tile's assembly (tile_6row); on the intrinsics it ran
// at 27-30 GFLOP/s on Zen 3 (1 thread; the f64 FMA peak is ~50), against 39-43 now
// (128x784x512, 512x784x512, 128x512x256, square 1024; in-process alternation, same
// bits). KC = 256 rather than 192: 1.01-1.07x on 1 thread at those shapes, 0.98-1.08x on 2.
// B packed by the first tiles (as float is), against a separate pass: 1.06-1.11x at
// 128x512x784 (the dX of a 784-512 layer), 0.95-1.10x elsewhere (square 1024 on 1 thread
// 0.97-0.98x), geometric mean 1.017x over 8 shapes x 1 and 2 threads x 2 runs.
GemmKernelSet<double> f64_gemm_kernels_avx2() {
  GemmKernelSet<double> set = {{"f64_gemm_ukernel_6x8_avx2", f64_gemm_ukernel_6x8_avx2, 6, 8, 144, 256,
                                nc_for_l2<double>(256, 8), f64_gemm_ukernel_6x8_avx2_direct_a},
                               {"f64_gemm_ukernel_12x4_avx2", f64_gemm_ukernel_12x4_avx2, 12, 4, 144, 192, 4,
                                f64_gemm_ukernel_12x4_avx2_direct_a}};
  set.wide.ukernel_pack_b = gemm_ukernel_6row_avx2_pack_b<false, double>;
  set.wide.ukernel_direct_a_pack_b = gemm_ukernel_6row_avx2_pack_b<true, double>;
  set.nt_via_transpose = true;  // 128x784x512 1.04x, 128x128x512 0.97x: the same rule holds
  return set;
}

}  // namespace myelin
#endif  // __x86_64__
