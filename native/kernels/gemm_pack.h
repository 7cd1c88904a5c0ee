// Packing of GEMM operands into the panel layouts the micro-kernels read.
#pragma once

#include <cstddef>

namespace myelin {

// Packs op(A)[i0 .. i0+mc, p0 .. p0+kc] into ceil(mc/mr) panels of mr rows; panel r
// starts at dst + r*mr*kc and holds element (i, p) at p*mr + i. Rows past mc are 0.
// op(A)(i, p) = trans_a ? a[p*lda + i] : a[i*lda + p].
template <typename T>
void pack_a_panels(bool trans_a, const T* a, size_t lda, size_t i0, size_t mc, size_t p0,
                   size_t kc, size_t mr, T* dst);

// Packs op(B)[p0 .. p0+kc, j0 .. j0+nc] into ceil(nc/nr) panels of nr columns; panel s
// starts at dst + s*nr*kc and holds element (p, j) at p*nr + j. Columns past nc are 0.
// op(B)(p, j) = trans_b ? b[j*ldb + p] : b[p*ldb + j].
template <typename T>
void pack_b_panels(bool trans_b, const T* b, size_t ldb, size_t p0, size_t kc, size_t j0,
                   size_t nc, size_t nr, T* dst);

// dst[c*ds + r] = src[r*rs + c] for r < rows, c < cols: a plain transpose (whole 8x8 float
// or 4x4 double blocks through registers on AVX2 machines, the edges one element at a time).
template <typename T>
void transpose_matrix(const T* src, size_t rs, size_t rows, size_t cols, T* dst, size_t ds);

}  // namespace myelin
