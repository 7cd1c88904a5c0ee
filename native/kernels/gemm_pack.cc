#include "gemm_pack.h"

#include <algorithm>
#include <cstring>

#include "gemm_microkernel.h"
#include "simd_avx2.h"
#include "simd_avx512.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace myelin {
namespace {

#if defined(__x86_64__)
// Register transposes for the packing of a row-major operand into depth-major panels
// (A not transposed, B transposed): an 8x8 float or 4x4 double block read row by row,
// written column by column. dst[p*ds + r] = src[r*rs + p]. AVX2 only, so AVX-512
// machines use them too (a pure copy: same bits as the scalar loop).
// Rows r[0..7] of an 8x8 float block in, its columns out: col[p] holds element p of each row.
__attribute__((target("avx2"), always_inline)) inline void transpose8x8(__m256 (&r)[8], __m256 (&col)[8]) {
  __m256 t[8];
  for (int i = 0; i < 8; i += 2) {
    t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);      // 0 0' 1 1' | 4 4' 5 5'
    t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);  // 2 2' 3 3' | 6 6' 7 7'
  }
  for (int h = 0; h < 8; h += 4) {
    r[h + 0] = _mm256_shuffle_ps(t[h + 0], t[h + 2], 0x44);
    r[h + 1] = _mm256_shuffle_ps(t[h + 0], t[h + 2], 0xEE);
    r[h + 2] = _mm256_shuffle_ps(t[h + 1], t[h + 3], 0x44);
    r[h + 3] = _mm256_shuffle_ps(t[h + 1], t[h + 3], 0xEE);
  }
  for (int p = 0; p < 4; ++p) {
    col[p] = _mm256_permute2f128_ps(r[p], r[p + 4], 0x20);
    col[p + 4] = _mm256_permute2f128_ps(r[p], r[p + 4], 0x31);
  }
}

__attribute__((target("avx2"), always_inline)) inline void transpose_block(const float* src, size_t rs, float* dst,
                                                                          size_t ds) {
  __m256 r[8], col[8];
  for (int i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(src + i * rs);
  transpose8x8(r, col);
  for (int p = 0; p < 8; ++p) _mm256_storeu_ps(dst + p * ds, col[p]);
}

__attribute__((target("avx2"), always_inline)) inline void transpose_block(const double* src, size_t rs, double* dst,
                                                                          size_t ds) {
  const __m256d r0 = _mm256_loadu_pd(src), r1 = _mm256_loadu_pd(src + rs);
  const __m256d r2 = _mm256_loadu_pd(src + 2 * rs), r3 = _mm256_loadu_pd(src + 3 * rs);
  const __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
  const __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
  _mm256_storeu_pd(dst, _mm256_permute2f128_pd(t0, t2, 0x20));
  _mm256_storeu_pd(dst + ds, _mm256_permute2f128_pd(t1, t3, 0x20));
  _mm256_storeu_pd(dst + 2 * ds, _mm256_permute2f128_pd(t0, t2, 0x31));
  _mm256_storeu_pd(dst + 3 * ds, _mm256_permute2f128_pd(t1, t3, 0x31));
}

// A 6-row float panel (the AVX2 kernel's MR = 6), 8 depth steps at a time: the 8x8
// transpose with two zero rows, each column stored as 8 floats of which the last 2 spill
// into the next column's slot and are overwritten by it; the eighth column is stored as
// 4 + 2 so nothing is written past the 6 x 8 block. Before it, 6-row panels went through
// 4x4 blocks plus a scalar loop for rows 4-5: 13 % of a 1024^3 GEMM on Zen 3.
__attribute__((target("avx2"), always_inline)) inline void transpose_block_6x8(const float* src, size_t rs, float* dst) {
  __m256 r[8], col[8];
  for (int i = 0; i < 6; ++i) r[i] = _mm256_loadu_ps(src + i * rs);
  r[6] = r[7] = _mm256_setzero_ps();
  transpose8x8(r, col);
  for (int p = 0; p < 7; ++p) _mm256_storeu_ps(dst + p * 6, col[p]);
  _mm_storeu_ps(dst + 42, _mm256_castps256_ps128(col[7]));
  _mm_storel_pi(reinterpret_cast<__m64*>(dst + 46), _mm256_extractf128_ps(col[7], 1));
}

__attribute__((target("avx2"))) void transpose_blocks_6x8(const float* src, size_t rs, size_t p_end, float* dst) {
  for (size_t p0 = 0; p0 < p_end; p0 += 8) transpose_block_6x8(src + p0, rs, dst + p0 * 6);
}

// A 6-row double panel (the AVX2 kernel's MR = 6), 4 depth steps at a time: rows 0-3 as
// a 4x4 register transpose, rows 4-5 as pairs, each depth step stored as 4 + 2 values.
// It replaced 4x4 blocks plus a scalar loop for rows 4-5: the packing's share of a double
// 1024^3 GEMM went from 5.0 to 4.7 % (perf, 1 thread, Zen 3), 1.005-1.017x in-process at
// squares 1024 and 2048 and 1024x784x512 (one 2-thread reading at 2048: 0.98x).
__attribute__((target("avx2"))) void transpose_blocks_6x4(const double* src, size_t rs, size_t p_end, double* dst) {
  for (size_t p0 = 0; p0 < p_end; p0 += 4, dst += 24) {
    const double* s = src + p0;
    const __m256d r0 = _mm256_loadu_pd(s), r1 = _mm256_loadu_pd(s + rs);
    const __m256d r2 = _mm256_loadu_pd(s + 2 * rs), r3 = _mm256_loadu_pd(s + 3 * rs);
    const __m256d r4 = _mm256_loadu_pd(s + 4 * rs), r5 = _mm256_loadu_pd(s + 5 * rs);
    const __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
    const __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
    const __m256d u0 = _mm256_unpacklo_pd(r4, r5), u1 = _mm256_unpackhi_pd(r4, r5);  // depth 0|2, 1|3
    _mm256_storeu_pd(dst, _mm256_permute2f128_pd(t0, t2, 0x20));
    _mm_storeu_pd(dst + 4, _mm256_castpd256_pd128(u0));
    _mm256_storeu_pd(dst + 6, _mm256_permute2f128_pd(t1, t3, 0x20));
    _mm_storeu_pd(dst + 10, _mm256_castpd256_pd128(u1));
    _mm256_storeu_pd(dst + 12, _mm256_permute2f128_pd(t0, t2, 0x31));
    _mm_storeu_pd(dst + 16, _mm256_extractf128_pd(u0, 1));
    _mm256_storeu_pd(dst + 18, _mm256_permute2f128_pd(t1, t3, 0x31));
    _mm_storeu_pd(dst + 22, _mm256_extractf128_pd(u1, 1));
  }
}

void transpose_blocks_6(const float* src, size_t rs, size_t p_end, float* dst) {
  transpose_blocks_6x8(src, rs, p_end, dst);
}
void transpose_blocks_6(const double* src, size_t rs, size_t p_end, double* dst) {
  transpose_blocks_6x4(src, rs, p_end, dst);
}

// Full 6-row panels in 6x8 (float) or 6x4 (double) blocks, one AVX2 register of depth
// steps each; returns the depth done (0: not such a panel).
template <typename T>
size_t transpose_panel6(const T* src, size_t rs, size_t valid, size_t depth, size_t width, T* dst) {
  if (width != 6 || valid != 6 || gemm_dispatch().isa == Isa::scalar) return 0;
  constexpr size_t kBlock = 32 / sizeof(T);
  const size_t p_end = depth / kBlock * kBlock;
  transpose_blocks_6(src, rs, p_end, dst);
  return p_end;
}

// Rows [0, r_end) x depth [0, p_end) of a panel in register blocks (both multiples of the
// block), the whole grid in one call. With one call per block from the baseline code
// around it, plus a scalar pass over every depth step that had nothing left to copy, a
// 16 x 64 float panel took 300 ns; now 120 ns (Zen 3). In-process alternation, 1 thread:
// square 1024 1.025x, 2048 1.020x (the 6-row A panels), 128x784x512 with B transposed
// 1.016x.
template <typename T>
__attribute__((target("avx2"))) void transpose_blocks(const T* src, size_t rs, size_t r_end, size_t p_end, T* dst,
                                                      size_t width) {
  constexpr size_t kBlock = 32 / sizeof(T);
  for (size_t p0 = 0; p0 < p_end; p0 += kBlock) {
    for (size_t r0 = 0; r0 < r_end; r0 += kBlock) transpose_block(src + r0 * rs + p0, rs, dst + p0 * width + r0, width);
  }
}

// GCC 12 false positive inside its own _mm512_undefined_ps() (unpack, shuffle).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
// The float transpose of a 16x16 block with AVX-512: 64 shuffles for 256 elements, against
// 96 for four 8x8 AVX2 blocks (the transposing pack is shuffle-bound: 23 % of a 32x784x64
// GEMM with B transposed). dst[p*ds + r] = src[r*rs + p], the same copy.
// Rows from `rows` on (a partial last panel) read as zeros: the padding comes out already.
__attribute__((target("avx512f"))) void transpose_block16(const float* src, size_t rs, size_t rows, float* dst,
                                                          size_t ds) {
  __m512 r[16], t[16];
  for (size_t i = 0; i < 16; ++i) r[i] = i < rows ? _mm512_loadu_ps(src + i * rs) : _mm512_setzero_ps();
  // Within each 128-bit lane: 4x4 transposes, as in the 8x8 block.
  for (int i = 0; i < 16; i += 2) {
    t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int h = 0; h < 16; h += 4) {
    r[h + 0] = _mm512_shuffle_ps(t[h + 0], t[h + 2], 0x44);
    r[h + 1] = _mm512_shuffle_ps(t[h + 0], t[h + 2], 0xEE);
    r[h + 2] = _mm512_shuffle_ps(t[h + 1], t[h + 3], 0x44);
    r[h + 3] = _mm512_shuffle_ps(t[h + 1], t[h + 3], 0xEE);
  }
  // r[4k + m], lane j, now holds column 4j + m of rows 4k..4k+3: gather lane j of k = 0..3.
  for (int m = 0; m < 4; ++m) {
    const __m512 lo01 = _mm512_shuffle_f32x4(r[m], r[4 + m], 0x88), hi01 = _mm512_shuffle_f32x4(r[m], r[4 + m], 0xDD);
    const __m512 lo23 = _mm512_shuffle_f32x4(r[8 + m], r[12 + m], 0x88), hi23 = _mm512_shuffle_f32x4(r[8 + m], r[12 + m], 0xDD);
    _mm512_storeu_ps(dst + (0 + m) * ds, _mm512_shuffle_f32x4(lo01, lo23, 0x88));
    _mm512_storeu_ps(dst + (4 + m) * ds, _mm512_shuffle_f32x4(hi01, hi23, 0x88));
    _mm512_storeu_ps(dst + (8 + m) * ds, _mm512_shuffle_f32x4(lo01, lo23, 0xDD));
    _mm512_storeu_ps(dst + (12 + m) * ds, _mm512_shuffle_f32x4(hi01, hi23, 0xDD));
  }
}
#pragma GCC diagnostic pop

// Float panels of whole 16-row blocks (the last one may be partly padding) in 16x16 blocks
// on AVX-512 machines; returns the depth done, every row of the panel written (0: not such a
// panel, the 8x8 path below runs). The 10-wide output layer's W (10 x 256, B transposed)
// went through an 8x8 block plus rows 8-9 one element at a time before.
size_t transpose_panel16(const float* src, size_t rs, size_t valid, size_t depth, size_t width, float* dst) {
  if (gemm_dispatch().isa != Isa::avx512 || width % 16 != 0 || (valid != width && width != 16) || depth < 16) {
    return 0;
  }
  const size_t p_end = depth / 16 * 16;
  for (size_t p0 = 0; p0 < p_end; p0 += 16) {
    for (size_t r0 = 0; r0 < valid; r0 += 16) {
      transpose_block16(src + r0 * rs + p0, rs, std::min<size_t>(16, valid - r0), dst + p0 * width + r0, width);
    }
  }
  return p_end;
}
size_t transpose_panel16(const double*, size_t, size_t, size_t, size_t, double*) { return 0; }

// A 4-row float block for the rows an 8x8 block leaves (MR = 12 is 8 + 4): SSE, baseline.
void transpose_block_4x4(const float* src, size_t rs, float* dst, size_t ds) {
  __m128 r0 = _mm_loadu_ps(src), r1 = _mm_loadu_ps(src + rs);
  __m128 r2 = _mm_loadu_ps(src + 2 * rs), r3 = _mm_loadu_ps(src + 3 * rs);
  _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
  _mm_storeu_ps(dst, r0);
  _mm_storeu_ps(dst + ds, r1);
  _mm_storeu_ps(dst + 2 * ds, r2);
  _mm_storeu_ps(dst + 3 * ds, r3);
}

// Rows [r0, valid) of depth [0, p_end) in 4x4 blocks; returns the first row not done.
size_t transpose_rows_of_4(const float* src, size_t rs, size_t r0, size_t valid, size_t p_end, float* dst,
                           size_t ds) {
  const size_t r_end = r0 + (valid - r0) / 4 * 4;
  if (r_end == r0) return r0;
  for (size_t p = 0; p < p_end; p += 4) {
    for (size_t r = r0; r < r_end; r += 4) transpose_block_4x4(src + r * rs + p, rs, dst + p * ds + r, ds);
  }
  return r_end;
}
size_t transpose_rows_of_4(const double*, size_t, size_t r0, size_t, size_t, double*, size_t) { return r0; }

bool has_avx2_transpose() { return gemm_dispatch().isa != Isa::scalar; }

// The last, partial panel's share of one depth step: `tail` values in, zeros up to the
// panel width out, a whole register of V at a time (masked loads read nothing past
// `tail`). Through a library memcpy of 40 bytes plus a scalar zero fill, the 10-wide
// output layer's B (256 x 10) took 0.8 us of a 2.6 us 12x256x10 GEMM on Zen 4.
// Vector values pass only inside the flatten entry points below: no ABI crosses.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"
template <class V>
void copy_tail_vec(const typename V::T* src, size_t tail, size_t width,
                                                         typename V::T* dst) {
  for (size_t r = 0; r < width; r += V::kWidth) {
    const size_t n = tail > r ? std::min(tail - r, V::kWidth) : 0;
    V::store(dst + r, V::load_first(src + r, n));
  }
}
#define MYELIN_TAIL_COPY(NAME, T, V, TARGET)                                                 \
  __attribute__((target(TARGET), flatten)) void NAME(const T* src, size_t tail, size_t width, T* dst) { \
    copy_tail_vec<simd::V>(src, tail, width, dst);                                           \
  }
MYELIN_TAIL_COPY(copy_tail_512, float, Avx512F32, "avx512f,avx512vl,avx512bw,avx512dq,fma")
MYELIN_TAIL_COPY(copy_tail_512, double, Avx512F64, "avx512f,avx512vl,avx512bw,avx512dq,fma")
MYELIN_TAIL_COPY(copy_tail_256, float, Avx2F32, "avx2,fma")
MYELIN_TAIL_COPY(copy_tail_256, double, Avx2F64, "avx2,fma")
#undef MYELIN_TAIL_COPY
#pragma GCC diagnostic pop
#endif

// Which vector copy a partial panel's depth steps use: 2 = whole AVX-512 registers,
// 1 = whole AVX2 registers, 0 = scalar.
template <typename T>
int tail_copy_kind(size_t width) {
#if defined(__x86_64__)
  const Isa isa = gemm_dispatch().isa;
  if (isa == Isa::avx512 && (width * sizeof(T)) % 64 == 0) return 2;
  if (isa != Isa::scalar && (width * sizeof(T)) % 32 == 0) return 1;
#else
  (void)width;
#endif
  return 0;
}

template <typename T>
void copy_tail(const T* src, size_t tail, size_t width, int kind, T* dst) {
#if defined(__x86_64__)
  if (kind == 2) return copy_tail_512(src, tail, width, dst);
  if (kind == 1) return copy_tail_256(src, tail, width, dst);
#else
  (void)kind;
#endif
  std::memcpy(dst, src, tail * sizeof(T));
  for (size_t r = tail; r < width; ++r) dst[r] = T(0);
}

// One panel of the transposing pack: dst[p*width + r] = src[r*rs + p] for r < valid,
// 0 for valid <= r < width. Whole blocks go through the register transpose; the ragged
// rows and depth left over are copied one element at a time.
template <typename T>
void transpose_panel(const T* src, size_t rs, size_t valid, size_t depth, size_t width, T* dst) {
  constexpr size_t kBlock = 32 / sizeof(T);  // one AVX2 register of T
  size_t p_done = 0, r_done = 0;  // depth steps [0, p_done) have rows [0, r_done) written
#if defined(__x86_64__)
  if (const size_t p16 = transpose_panel16(src, rs, valid, depth, width, dst)) {
    p_done = p16;
    r_done = width;
  } else if (const size_t p6 = transpose_panel6(src, rs, valid, depth, width, dst)) {
    p_done = p6;
    r_done = valid;
  } else if (has_avx2_transpose()) {
    p_done = depth / kBlock * kBlock;
    r_done = valid / kBlock * kBlock;
    transpose_blocks(src, rs, r_done, p_done, dst, width);
    r_done = transpose_rows_of_4(src, rs, r_done, valid, p_done, dst, width);
  }
#endif
  // What the register blocks left, one element at a time: rows [r_done, width) of depth
  // steps [0, p_done) (none when the blocks covered every row), then all of the rest.
  auto finish_step = [&](size_t p, size_t r_from) {
    T* out = dst + p * width;
    for (size_t r = r_from; r < valid; ++r) out[r] = src[r * rs + p];
    for (size_t r = std::max(valid, r_from); r < width; ++r) out[r] = T(0);
  };
  if (r_done < width) {
    for (size_t p = 0; p < p_done; ++p) finish_step(p, r_done);
  }
  for (size_t p = p_done; p < depth; ++p) finish_step(p, 0);
}

// The full panels of one depth step when panel rows are contiguous (rs == 1): `row` holds
// panels * W values, panel q's go to dst[q*panel_stride]. kW = 0: W known only at run time.
template <size_t kW, typename T>
void copy_depth_step(const T* row, size_t panels, size_t width, size_t panel_stride, T* dst) {
  const size_t w = kW ? kW : width;
  for (size_t q = 0; q < panels; ++q) std::memcpy(dst + q * panel_stride, row + q * w, w * sizeof(T));
}

// Packs `count` rows r of a strided view X(r, p) = src[r*rs + p*cs] into panels of
// `width` rows, each stored depth-major: dst[p*width + r]. Zero-pads the last panel.
template <typename T>
void pack_panels(const T* src, size_t rs, size_t cs, size_t count, size_t depth, size_t width,
                 T* dst) {
  if (rs == 1) {
    // Panel rows are contiguous in memory (B not transposed, A transposed): read X one
    // depth step at a time, which walks memory in order, and scatter each step's values
    // to the panels. Copying panel by panel instead read one short piece of every depth
    // row (a strided walk through B) with a library memcpy call per piece: 15 % of a
    // 128x784x512 GEMM on Zen 3.
    const size_t full = count / width, tail = count - full * width, stride = width * depth;
    const int tail_kind = tail ? tail_copy_kind<T>(width) : 0;
    for (size_t p = 0; p < depth; ++p) {
      const T* row = src + p * cs;
      T* out = dst + p * width;
      switch (width * sizeof(T)) {  // fixed-size copies compile to a few vector moves
        case 24: copy_depth_step<24 / sizeof(T)>(row, full, width, stride, out); break;
        case 32: copy_depth_step<32 / sizeof(T)>(row, full, width, stride, out); break;
        case 48: copy_depth_step<48 / sizeof(T)>(row, full, width, stride, out); break;
        case 64: copy_depth_step<64 / sizeof(T)>(row, full, width, stride, out); break;
        case 128: copy_depth_step<128 / sizeof(T)>(row, full, width, stride, out); break;
        default: copy_depth_step<0>(row, full, width, stride, out); break;
      }
      if (tail) copy_tail(row + full * width, tail, width, tail_kind, out + full * stride);
    }
    return;
  }
  // Depth is contiguous (cs == 1: every caller's operand is row-major): a transpose.
  for (size_t r0 = 0; r0 < count; r0 += width) {
    const size_t valid = std::min(width, count - r0);
    transpose_panel(src + r0 * rs, rs, valid, depth, width, dst);
    dst += width * depth;
  }
}

}  // namespace

template <typename T>
void pack_a_panels(bool trans_a, const T* a, size_t lda, size_t i0, size_t mc, size_t p0,
                   size_t kc, size_t mr, T* dst) {
  if (trans_a) {
    pack_panels(a + p0 * lda + i0, 1, lda, mc, kc, mr, dst);
  } else {
    pack_panels(a + i0 * lda + p0, lda, 1, mc, kc, mr, dst);
  }
}

template <typename T>
void pack_b_panels(bool trans_b, const T* b, size_t ldb, size_t p0, size_t kc, size_t j0,
                   size_t nc, size_t nr, T* dst) {
  if (trans_b) {
    pack_panels(b + j0 * ldb + p0, ldb, 1, nc, kc, nr, dst);
  } else {
    pack_panels(b + p0 * ldb + j0, 1, ldb, nc, kc, nr, dst);
  }
}

template <typename T>
void transpose_matrix(const T* src, size_t rs, size_t rows, size_t cols, T* dst, size_t ds) {
  size_t r_done = 0, c_done = 0;  // rows [0, r_done) of columns [0, c_done) go in blocks
#if defined(__x86_64__)
  if (has_avx2_transpose()) {
    constexpr size_t kBlock = 32 / sizeof(T);
    r_done = rows / kBlock * kBlock;
    c_done = cols / kBlock * kBlock;
    transpose_blocks(src, rs, r_done, c_done, dst, ds);
  }
#endif
  for (size_t c = 0; c < cols; ++c) {
    for (size_t r = c < c_done ? r_done : 0; r < rows; ++r) dst[c * ds + r] = src[r * rs + c];
  }
}

template void pack_a_panels<float>(bool, const float*, size_t, size_t, size_t, size_t, size_t,
                                   size_t, float*);
template void pack_a_panels<double>(bool, const double*, size_t, size_t, size_t, size_t, size_t,
                                    size_t, double*);
template void pack_b_panels<float>(bool, const float*, size_t, size_t, size_t, size_t, size_t,
                                   size_t, float*);
template void pack_b_panels<double>(bool, const double*, size_t, size_t, size_t, size_t, size_t,
                                    size_t, double*);
template void transpose_matrix<float>(const float*, size_t, size_t, size_t, float*, size_t);
template void transpose_matrix<double>(const double*, size_t, size_t, size_t, double*, size_t);

}  // namespace myelin
