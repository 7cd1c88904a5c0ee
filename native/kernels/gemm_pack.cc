#include "gemm_pack.h"

#include <algorithm>
#include <cstring>

namespace myelin {
namespace {

// Packs `count` rows r of a strided view X(r, p) = src[r*rs + p*cs] into panels of
// `width` rows, each stored depth-major: dst[p*width + r]. Zero-pads the last panel.
template <typename T>
void pack_panels(const T* src, size_t rs, size_t cs, size_t count, size_t depth, size_t width,
                 T* dst) {
  for (size_t r0 = 0; r0 < count; r0 += width) {
    const size_t valid = std::min(width, count - r0);
    const T* panel_src = src + r0 * rs;
    if (rs == 1) {
      // Panel rows are contiguous in memory: one short copy per depth step.
      for (size_t p = 0; p < depth; ++p) {
        T* out = dst + p * width;
        std::memcpy(out, panel_src + p * cs, valid * sizeof(T));
        for (size_t r = valid; r < width; ++r) out[r] = T(0);
      }
    } else {
      // Depth is contiguous (a transpose): walk the source in 8-deep strips so each
      // source row is read sequentially while the strip of dst stays in L1.
      constexpr size_t kStrip = 8;
      for (size_t p0 = 0; p0 < depth; p0 += kStrip) {
        const size_t pn = std::min(kStrip, depth - p0);
        for (size_t r = 0; r < valid; ++r) {
          const T* row = panel_src + r * rs + p0 * cs;
          for (size_t p = 0; p < pn; ++p) dst[(p0 + p) * width + r] = row[p * cs];
        }
        for (size_t r = valid; r < width; ++r) {
          for (size_t p = 0; p < pn; ++p) dst[(p0 + p) * width + r] = T(0);
        }
      }
    }
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

template void pack_a_panels<float>(bool, const float*, size_t, size_t, size_t, size_t, size_t,
                                   size_t, float*);
template void pack_a_panels<double>(bool, const double*, size_t, size_t, size_t, size_t, size_t,
                                    size_t, double*);
template void pack_b_panels<float>(bool, const float*, size_t, size_t, size_t, size_t, size_t,
                                   size_t, float*);
template void pack_b_panels<double>(bool, const double*, size_t, size_t, size_t, size_t, size_t,
                                    size_t, double*);

}  // namespace myelin
